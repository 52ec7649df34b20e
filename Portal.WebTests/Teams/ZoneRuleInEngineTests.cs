using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Teams;

/// <summary>
/// The deployment engine applies the zone rule itself: a request in an allowed zone deploys; one whose zone is not
/// allowed (taken away after it was submitted) fails its testing deployment before any stack is touched.
/// </summary>
public sealed class ZoneRuleInEngineTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_request_in_an_allowed_zone_deploys_to_testing()
    {
        await AllowAsync(TestSpecs.ZoneId, TestSpecs.ZoneName);
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });

        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);

        var request = await _h.RequestAsync(id);
        Assert.True(request.State == RequestState.TestingReady, request.FailureMessage);
    }

    [Fact]
    public async Task A_request_whose_zone_is_not_allowed_is_refused_by_the_engine_and_nothing_is_deployed()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });
        await AllowAsync("Z0RG", "example.org");

        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);

        var request = await _h.RequestAsync(id);
        Assert.Equal(RequestState.TestingFailed, request.State);
        Assert.Equal($"The hosted zone example.com ({TestSpecs.ZoneId}) is not one you may use (allowed: example.org).", request.FailureMessage);
        Assert.Empty(_h.Aws.CloudFormation.StackNames("eu-west-1"));
        Assert.Empty(_h.Aws.CloudFormation.StackNames("us-east-1"));
    }

    private async Task AllowAsync(string zoneId, string zoneName)
    {
        await using var db = await _h.Db.CreateDbContextAsync();
        db.ZoneGrants.Add(new ZoneGrantRecord { Id = Guid.NewGuid(), ZoneId = zoneId, ZoneName = zoneName });
        await db.SaveChangesAsync();
    }
}
