using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContentVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ApprovedContentVersionId",
                table: "requests",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ApprovedContentVersionNumber",
                table: "requests",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ContentVersionId",
                table: "deployment_runs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ContentVersionNumber",
                table: "deployment_runs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ObjectsRemoved",
                table: "deployment_runs",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "content_versions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    RevisionNumber = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedById = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FileCount = table.Column<int>(type: "integer", nullable: false),
                    TotalBytes = table.Column<long>(type: "bigint", nullable: false),
                    ArchiveSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Added = table.Column<int>(type: "integer", nullable: false),
                    Changed = table.Column<int>(type: "integer", nullable: false),
                    Removed = table.Column<int>(type: "integer", nullable: false),
                    TestingDistributionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TestingInvalidationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ManifestJson = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_content_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_content_versions_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_content_versions_RequestId_Number",
                table: "content_versions",
                columns: new[] { "RequestId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "content_versions");

            migrationBuilder.DropColumn(
                name: "ApprovedContentVersionId",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "ApprovedContentVersionNumber",
                table: "requests");

            migrationBuilder.DropColumn(
                name: "ContentVersionId",
                table: "deployment_runs");

            migrationBuilder.DropColumn(
                name: "ContentVersionNumber",
                table: "deployment_runs");

            migrationBuilder.DropColumn(
                name: "ObjectsRemoved",
                table: "deployment_runs");
        }
    }
}
