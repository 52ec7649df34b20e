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

        _h.Aws.CloudFormation.ChangeOutOfBand("us-east-1", name, "Distribution", p => p["DistributionConfig"]!["DefaultRootObject"] = "home.html");
        Assert.True(await _h.Tracker.RequestDriftCheckAsync(tracked.Id));
        await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id && s.DriftCheckedAt != null))).Count == 1);

        tracked = Assert.Single(await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id)));
        Assert.Equal("DRIFTED", tracked.DriftStatus);
        var resource = Assert.Single(StackDrift.ParseResources(tracked.DriftedResourcesJson));
        Assert.Equal(("Distribution", "MODIFIED", "AWS::CloudFront::Distribution"), (resource.LogicalId, resource.Status, resource.ResourceType));
        Assert.Equal(new PropertyDrift("/DistributionConfig/DefaultRootObject", "\"index.html\"", "\"home.html\"", "NOT_EQUAL"), Assert.Single(resource.Differences));
        Assert.Null(tracked.DriftDetectionId);
        Assert.True(tracked.NextDriftCheckAt > DateTimeOffset.UtcNow + TimeSpan.FromHours(23));
        Assert.Equal(1, _h.Aws.CallsByOperation()["DetectStackDrift"]);
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task A_stack_turning_drifted_is_recorded_once_in_the_audit_trail_not_on_every_check()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var name = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        var tracked = Assert.Single(await _h.QueryAsync(db => db.Stacks.Where(s => s.StackName == name)));

        async Task CheckAsync()
        {
            var before = (await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id))).Single().DriftCheckedAt;
            Assert.True(await _h.Tracker.RequestDriftCheckAsync(tracked.Id));
            await _h.RunUntilAsync(async () => (await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id && s.DriftCheckedAt != before && s.DriftDetectionId == null))).Count == 1);
        }

        Task<List<AuditEvent>> DriftEventsAsync() => _h.QueryAsync(db => db.AuditEvents.Where(e => e.RequestId == id && e.Action == StackDrift.DriftDetectedAction));

        await CheckAsync();
        Assert.Equal("IN_SYNC", (await _h.QueryAsync(db => db.Stacks.Where(s => s.Id == tracked.Id))).Single().DriftStatus);
        Assert.Empty(await DriftEventsAsync());

        _h.Aws.CloudFormation.ChangeOutOfBand("us-east-1", name, "Distribution", p => p["DistributionConfig"]!["DefaultRootObject"] = "home.html");
        await CheckAsync();
        await CheckAsync();

        var recorded = Assert.Single(await DriftEventsAsync());
        Assert.Equal(Actor.SystemId, recorded.ActorId);
        Assert.Contains(name, recorded.Reason, StringComparison.Ordinal);
        Assert.Contains("Distribution modified", recorded.Reason, StringComparison.Ordinal);
        Assert.Equal(RequestState.TestingReady, recorded.ToState);
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
