using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MailDomain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    ReportId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Organization = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartDate = table.Column<long>(type: "INTEGER", nullable: false),
                    EndDate = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SuccessfulSessions = table.Column<long>(type: "INTEGER", nullable: false),
                    FailedSessions = table.Column<long>(type: "INTEGER", nullable: false),
                    Encoding = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    RawJson = table.Column<string>(type: "TEXT", nullable: false)
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
