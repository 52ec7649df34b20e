using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "health_targets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AddedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NextCheckAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClaimVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    LastCheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastWorst = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    LastGrade = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    LastScore = table.Column<int>(type: "INTEGER", nullable: true),
                    LastMode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    CertificateExpires = table.Column<long>(type: "INTEGER", nullable: true),
                    LastPolicyId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    LastPolicyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ActiveAlerts = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_health_targets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PrimaryName = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OwnerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CurrentRevisionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    LiveRevisionNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    DecommissionRequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    FailureMessage = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_requests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "health_results",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Worst = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Grade = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    Score = table.Column<int>(type: "INTEGER", nullable: true),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    CertificateExpires = table.Column<long>(type: "INTEGER", nullable: true),
                    DurationMs = table.Column<int>(type: "INTEGER", nullable: false),
                    FindingsJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_health_results", x => x.Id);
                    table.ForeignKey(
                        name: "FK_health_results_health_targets_TargetId",
                        column: x => x.TargetId,
                        principalTable: "health_targets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    RevisionNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FromState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ToState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_audit_events_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "request_revisions",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    SpecJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastEditorId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LastEditedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_request_revisions", x => new { x.RequestId, x.Number });
                    table.ForeignKey(
                        name: "FK_request_revisions_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_ActorId",
                table: "audit_events",
                column: "ActorId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_At",
                table: "audit_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_RequestId_Sequence",
                table: "audit_events",
                columns: new[] { "RequestId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_health_results_TargetId_CheckedAt",
                table: "health_results",
                columns: new[] { "TargetId", "CheckedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_health_targets_Name_Kind",
                table: "health_targets",
                columns: new[] { "Name", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_health_targets_NextCheckAt",
                table: "health_targets",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_requests_Kind_PrimaryName",
                table: "requests",
                columns: new[] { "Kind", "PrimaryName" },
                unique: true,
                filter: "\"State\" NOT IN ('Withdrawn', 'Decommissioned')");

            migrationBuilder.CreateIndex(
                name: "IX_requests_OwnerId",
                table: "requests",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_requests_State_UpdatedAt",
                table: "requests",
                columns: new[] { "State", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "health_results");

            migrationBuilder.DropTable(
                name: "request_revisions");

            migrationBuilder.DropTable(
                name: "health_targets");

            migrationBuilder.DropTable(
                name: "requests");
        }
    }
}
