using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TlsReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tls_reports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MailDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    ReportId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Organization = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StartDate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndDate = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SuccessfulSessions = table.Column<long>(type: "bigint", nullable: false),
                    FailedSessions = table.Column<long>(type: "bigint", nullable: false),
                    Encoding = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    RawJson = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tls_reports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tls_reports_MailDomain_ReportId",
                table: "tls_reports",
                columns: new[] { "MailDomain", "ReportId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tls_reports_MailDomain_StartDate",
                table: "tls_reports",
                columns: new[] { "MailDomain", "StartDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tls_reports");
        }
    }
}
