using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CopyingContentRunStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_deployment_runs_active_request",
                table: "deployment_runs");

            // The content copy of a site's production was called Promoting; runs stored with it carry on under the new name.
            migrationBuilder.Sql("UPDATE deployment_runs SET \"Status\" = 'CopyingContent' WHERE \"Status\" = 'Promoting';");

            migrationBuilder.CreateIndex(
                name: "IX_deployment_runs_active_request",
                table: "deployment_runs",
                column: "RequestId",
                unique: true,
                filter: "\"Status\" IN ('Running', 'CopyingContent')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_deployment_runs_active_request",
                table: "deployment_runs");

            migrationBuilder.Sql("UPDATE deployment_runs SET \"Status\" = 'Promoting' WHERE \"Status\" = 'CopyingContent';");

            migrationBuilder.CreateIndex(
                name: "IX_deployment_runs_active_request",
                table: "deployment_runs",
                column: "RequestId",
                unique: true,
                filter: "\"Status\" IN ('Running', 'Promoting')");
        }
    }
}
