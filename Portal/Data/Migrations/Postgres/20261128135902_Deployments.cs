using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Deployments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "deployment_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    RequestVersion = table.Column<int>(type: "integer", nullable: false),
                    Environment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FailureMessage = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ContentBucket = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    SourcePrefix = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    TargetPrefix = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    ObjectsListed = table.Column<int>(type: "integer", nullable: true),
                    ObjectsCopied = table.Column<int>(type: "integer", nullable: true),
                    BytesCopied = table.Column<long>(type: "bigint", nullable: true),
                    DistributionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    InvalidationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    InvalidationStatus = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    NextCheckAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deployment_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "stack_events",
                columns: table => new
                {
                    EventId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    StackName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Region = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StackId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    LogicalResourceId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    PhysicalResourceId = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    ResourceType = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ResourceStatus = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    ResourceStatusReason = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ClientRequestToken = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stack_events", x => x.EventId);
                });

            migrationBuilder.CreateTable(
                name: "stacks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StackName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Region = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StackId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    Environment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Status = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    StatusReason = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    LastUpdatedTime = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    OutputsJson = table.Column<string>(type: "text", nullable: false),
                    TemplateSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PollSeconds = table.Column<double>(type: "double precision", nullable: false),
                    LastCheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NextCheckAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DriftStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    DriftCheckedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NextDriftCheckAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DriftDetectionId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    DriftedResourcesJson = table.Column<string>(type: "text", nullable: false),
                    Deleted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stacks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "work_leases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Owner = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_work_leases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "stack_operations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    StackName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Region = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TemplateBody = table.Column<string>(type: "text", nullable: false),
                    ParametersJson = table.Column<string>(type: "text", nullable: false),
                    TagsJson = table.Column<string>(type: "text", nullable: false),
                    Step = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    ChangeSetType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ChangeSetName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    ChangeSetId = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: true),
                    ClientRequestToken = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    StackId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    StackStatus = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: true),
                    ChangeCount = table.Column<int>(type: "integer", nullable: true),
                    FailureMessage = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    NextCheckAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PollSeconds = table.Column<double>(type: "double precision", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stack_operations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stack_operations_deployment_runs_RunId",
                        column: x => x.RunId,
                        principalTable: "deployment_runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_deployment_runs_active_request",
                table: "deployment_runs",
                column: "RequestId",
                unique: true,
                filter: "\"Status\" IN ('Running', 'Promoting')");

            migrationBuilder.CreateIndex(
                name: "IX_deployment_runs_RequestId_CreatedAt",
                table: "deployment_runs",
                columns: new[] { "RequestId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_deployment_runs_Status_NextCheckAt",
                table: "deployment_runs",
                columns: new[] { "Status", "NextCheckAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stack_events_ClientRequestToken",
                table: "stack_events",
                column: "ClientRequestToken");

            migrationBuilder.CreateIndex(
                name: "IX_stack_events_Region_StackName_Timestamp",
                table: "stack_events",
                columns: new[] { "Region", "StackName", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_stack_operations_RunId_Sequence",
                table: "stack_operations",
                columns: new[] { "RunId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stack_operations_Step_NextCheckAt",
                table: "stack_operations",
                columns: new[] { "Step", "NextCheckAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stacks_NextCheckAt",
                table: "stacks",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_stacks_NextDriftCheckAt",
                table: "stacks",
                column: "NextDriftCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_stacks_Region_StackName",
                table: "stacks",
                columns: new[] { "Region", "StackName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stacks_RequestId",
                table: "stacks",
                column: "RequestId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stack_events");

            migrationBuilder.DropTable(
                name: "stack_operations");

            migrationBuilder.DropTable(
                name: "stacks");

            migrationBuilder.DropTable(
                name: "work_leases");

            migrationBuilder.DropTable(
                name: "deployment_runs");
        }
    }
}
