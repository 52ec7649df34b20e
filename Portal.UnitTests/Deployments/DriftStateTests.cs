using Portal.Core.Deployments;
using Portal.Core.Requests;

namespace Portal.Tests.Deployments;

/// <summary>A tracked stack reads as checking, in sync, drifted, not checked or check failed, with the time of its last check.</summary>
public sealed class DriftStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 18, 0, 0, TimeSpan.Zero);

    private static TrackedStack Stack(string? status, DateTimeOffset? checkedAt = null, string? detection = null, DateTimeOffset? next = null) => new()
    {
        StackName = "portal-site-testing-docs-example-com",
        Environment = DeploymentEnvironment.Testing,
        DriftStatus = status,
        DriftCheckedAt = checkedAt,
        DriftDetectionId = detection,
        NextDriftCheckAt = next ?? Now.AddHours(12),
    };

    [Theory]
    [InlineData(null, DriftState.NotChecked)]
    [InlineData("NOT_CHECKED", DriftState.NotChecked)]
    [InlineData("IN_SYNC", DriftState.InSync)]
    [InlineData("DRIFTED", DriftState.Drifted)]
    [InlineData("UNKNOWN", DriftState.Unknown)]
    public void The_last_result_reads_as_its_state_when_no_check_is_under_way(string? status, DriftState expected) =>
        Assert.Equal(expected, StackDrift.StateOf(Stack(status, Now.AddHours(-1)), Now));

    [Fact]
    public void A_detection_under_way_is_checking_whatever_the_last_result()
    {
        Assert.Equal(DriftState.Checking, StackDrift.StateOf(Stack("DRIFTED", Now.AddHours(-1), detection: "d-1"), Now));
    }

    [Fact]
    public void A_check_asked_for_and_not_yet_started_is_checking()
    {
        Assert.Equal(DriftState.Checking, StackDrift.StateOf(Stack("IN_SYNC", Now.AddHours(-1), next: Now), Now));
    }

    [Fact]
    public void A_deleted_stack_is_never_checking()
    {
        var stack = Stack("IN_SYNC", Now.AddHours(-1), next: Now.AddHours(-1));
        stack.Deleted = true;
        Assert.Equal(DriftState.InSync, StackDrift.StateOf(stack, Now));
    }

    [Fact]
    public void The_description_gives_the_time_of_the_last_check_in_utc()
    {
        Assert.Equal("In sync · last checked 2026-12-04 16:30 UTC", StackDrift.Describe(DriftState.InSync, new DateTimeOffset(2026, 12, 4, 17, 30, 0, TimeSpan.FromHours(1))));
        Assert.Equal("Not checked", StackDrift.Describe(DriftState.NotChecked, null));
        Assert.Equal("Checking · never checked before", StackDrift.Describe(DriftState.Checking, null));
    }

    [Fact]
    public void Only_a_drifted_stack_lists_its_resources()
    {
        const string Json = """[{"logicalId":"ContentBucketPolicy","status":"MODIFIED","differences":[{"path":"/PolicyDocument/Statement/0/Action","expected":"\"s3:GetObject\"","actual":"\"s3:*\"","difference":"NOT_EQUAL"}]}]""";
        var drifted = Stack("DRIFTED", Now.AddHours(-1));
        drifted.DriftedResourcesJson = Json;
        var inSync = Stack("IN_SYNC", Now.AddHours(-1));
        inSync.DriftedResourcesJson = Json;

        var view = StackDrift.View(drifted, Now);

        Assert.Equal(DriftState.Drifted, view.State);
        var resource = Assert.Single(view.Resources);
        Assert.Equal(new PropertyDrift("/PolicyDocument/Statement/0/Action", "\"s3:GetObject\"", "\"s3:*\"", "NOT_EQUAL"), Assert.Single(resource.Differences));
        Assert.Empty(StackDrift.View(inSync, Now).Resources);
    }
}
