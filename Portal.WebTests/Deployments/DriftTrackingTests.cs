using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>Drift detection on demand reports the drifted resources; a stack changed outside the portal is followed until it rests.</summary>
public sealed class DriftTrackingTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Drift_detected_on_demand_names_the_drifted_resource()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var name = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        var tracked = Assert.Single(await _h.QueryAsync(db => db.Stacks.Where(s => s.StackName == name)));
        Assert.Null(tracked.DriftCheckedAt);

        _h.Aws.CloudFormation.Drift("us-east-1", name, "Distribution");
        Assert.True(await _h.Tracker.RequestDriftCheckAsync(tracked.Id));
        await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id && s.DriftCheckedAt != null))).Count == 1);

        tracked = Assert.Single(await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id)));
        Assert.Equal("DRIFTED", tracked.DriftStatus);
        Assert.Equal("[\"Distribution: MODIFIED\"]", tracked.DriftedResourcesJson);
        Assert.Null(tracked.DriftDetectionId);
        Assert.True(tracked.NextDriftCheckAt > DateTimeOffset.UtcNow + TimeSpan.FromHours(23));
        Assert.Equal(1, _h.Aws.CallsByOperation()["DetectStackDrift"]);
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task A_stack_updated_outside_the_portal_is_followed_closely_and_its_events_stored()
    {
        var id = await _h.SubmitAsync(TestSpecs.MtaSts());
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var name = StackNaming.MtaSts("portal", "example.com");
        _h.Aws.CloudFormation.SeedInProgressUpdate("us-east-1", name, TimeSpan.FromSeconds(2));

        // Make the resting check due now, as if fifteen minutes had passed.
        await using (var db = await _h.Db.CreateDbContextAsync())
        {
            var stack = db.Stacks.Single(s => s.StackName == name);
            stack.NextCheckAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }

        await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.Stacks.Where(s => s.StackName == name && s.Status == "UPDATE_IN_PROGRESS"))).Count == 1);
        await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.Stacks.Where(s => s.StackName == name && s.Status == "UPDATE_COMPLETE"))).Count == 1);

        // The status and the events arrive through separate calls; the last events may land one pass after the status.
        var expected = await _h.Aws.CloudFormation.EventCountAsync("us-east-1", name);
        await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.StackEvents.Where(e => e.StackName == name))).Count >= expected);
        var stored = await _h.QueryAsync(db => db.StackEvents.Where(e => e.StackName == name));
        Assert.Equal(expected, stored.Count);
        Assert.Contains(stored, e => e.ResourceStatus == "UPDATE_COMPLETE" && e.LogicalResourceId == name);
        Assert.Empty(_h.Aws.Violations);
    }
}
