using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RequestListSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_requests_OwnerName_Id",
                table: "requests",
                columns: new[] { "OwnerName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_requests_PrimaryName_Id",
                table: "requests",
                columns: new[] { "PrimaryName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_requests_State_Id",
                table: "requests",
                columns: new[] { "State", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_requests_UpdatedAt_Id",
                table: "requests",
                columns: new[] { "UpdatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_requests_OwnerName_Id",
                table: "requests");

            migrationBuilder.DropIndex(
                name: "IX_requests_PrimaryName_Id",
                table: "requests");

            migrationBuilder.DropIndex(
                name: "IX_requests_State_Id",
                table: "requests");

            migrationBuilder.DropIndex(
                name: "IX_requests_UpdatedAt_Id",
                table: "requests");
        }
    }
}
