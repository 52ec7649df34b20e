using Portal.Core.Deployments;

namespace Portal.Tests.Deployments;

/// <summary>Turning drifted is news once: from in sync or not checked, never again while it stays drifted.</summary>
public sealed class DriftTransitionTests
{
    [Theory]
    [InlineData(null, "DRIFTED", true)]
    [InlineData("NOT_CHECKED", "DRIFTED", true)]
    [InlineData("IN_SYNC", "DRIFTED", true)]
    [InlineData("DRIFTED", "DRIFTED", false)]
    [InlineData("UNKNOWN", "DRIFTED", false)]
    [InlineData("IN_SYNC", "IN_SYNC", false)]
    [InlineData("DRIFTED", "IN_SYNC", false)]
    [InlineData("IN_SYNC", "UNKNOWN", false)]
    [InlineData(null, "IN_SYNC", false)]
    public void Only_a_turn_from_in_sync_or_not_checked_to_drifted_is_announced(string? previous, string? current, bool announced) =>
        Assert.Equal(announced, StackDrift.TurnedDrifted(previous, current));

    [Fact]
    public void The_audit_reason_names_the_environment_the_stack_and_each_drifted_resource()
    {
        var reason = StackDrift.AuditReason(Portal.Core.Requests.DeploymentEnvironment.Production, "portal-site-production-docs",
            [new DriftedResource("ContentBucketPolicy", "AWS::S3::BucketPolicy", "bucket", "MODIFIED", []), new DriftedResource("AliasA", null, null, "DELETED", [])]);

        Assert.Equal("The production stack portal-site-production-docs no longer matches its template: ContentBucketPolicy modified, AliasA deleted.", reason);
    }
}
