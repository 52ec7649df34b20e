using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TemplateReleases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TemplateRelease",
                table: "stacks",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TemplateRelease",
                table: "stack_operations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "template_upgrade_batches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Release = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedById = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StartedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_template_upgrade_batches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "template_upgrade_items",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BatchId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    PrimaryName = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    RevisionNumber = table.Column<int>(type: "integer", nullable: true),
                    SkipReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ApprovalRequested = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_template_upgrade_items", x => x.Id);
                    table.ForeignKey(
                        name: "FK_template_upgrade_items_template_upgrade_batches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "template_upgrade_batches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_template_upgrade_batches_StartedAt",
                table: "template_upgrade_batches",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_template_upgrade_items_ApprovalRequested",
                table: "template_upgrade_items",
                column: "ApprovalRequested");

            migrationBuilder.CreateIndex(
                name: "IX_template_upgrade_items_BatchId_RequestId",
                table: "template_upgrade_items",
                columns: new[] { "BatchId", "RequestId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_template_upgrade_items_RequestId_RevisionNumber",
                table: "template_upgrade_items",
                columns: new[] { "RequestId", "RevisionNumber" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "template_upgrade_items");

            migrationBuilder.DropTable(
                name: "template_upgrade_batches");

            migrationBuilder.DropColumn(
                name: "TemplateRelease",
                table: "stacks");

            migrationBuilder.DropColumn(
                name: "TemplateRelease",
                table: "stack_operations");
        }
    }
}
