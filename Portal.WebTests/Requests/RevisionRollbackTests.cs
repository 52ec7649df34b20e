using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>
/// "Restore this revision": a NEW revision whose spec is the old revision's, deployed to testing at once and to
/// production only through approval; refused with today's validation messages when the old spec no longer holds, and
/// nothing changes then.
/// </summary>
public sealed class RevisionRollbackTests : IAsyncLifetime
{
    private const string OldCsp = "default-src 'self'; object-src 'none'";
    private SiteInTesting _site = null!;

    public async Task InitializeAsync() => _site = await SiteInTesting.StartAsync(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], Csp = OldCsp });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task An_earlier_revision_comes_back_as_a_new_revision_through_testing_then_approval()
    {
        await _site.H.PromoteAsync(_site.Id);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);
        var revised = await _site.H.Requests.ReviseAsync(_site.Id, TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], Csp = "default-src 'none'" }, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.TestingReady, RequestState.TestingFailed);
        var seen = await _site.H.RequestAsync(_site.Id);

        var restored = await _site.H.Requests.RestoreRevisionAsync(_site.Id, 1, TestActors.Alice, seen.Version);

        Assert.True(restored.Succeeded, restored.Message);
        var request = await _site.H.RequestAsync(_site.Id);
        Assert.Equal((3, RequestState.Submitted, 1), (request.CurrentRevisionNumber, request.State, request.LiveRevisionNumber));
        Assert.Equal(RequestSpecJson.Serialize(seen.Revisions.Single(r => r.Number == 1).Spec), RequestSpecJson.Serialize(request.CurrentRevision.Spec));
        var audit = request.AuditEvents.OrderBy(e => e.Sequence).Last();
        Assert.Equal(("Revise", "Restored revision 1", "alice"), (audit.Action, audit.Reason, audit.ActorId));

        await _site.H.RunUntilStateAsync(_site.Id, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.Equal(RequestState.TestingReady, (await _site.H.RequestAsync(_site.Id)).State);
        await _site.H.PromoteAsync(_site.Id);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);
        var live = await _site.H.RequestAsync(_site.Id);
        Assert.Equal((RequestState.Live, 3), (live.State, live.LiveRevisionNumber));
        var production = (await _site.H.QueryAsync(db => db.DeploymentRuns.Where(r => r.RequestId == _site.Id && r.Environment == DeploymentEnvironment.Production)))
            .OrderBy(r => r.CreatedAt).Last();
        Assert.Equal(3, production.Revision);
    }

    [Fact]
    public async Task A_revision_no_longer_valid_under_todays_rules_is_refused_with_the_messages_and_nothing_changes()
    {
        // Revision 2 named a 404 page; revision 3 dropped it, and the content uploaded since has no such page.
        var withPage = TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], NotFoundPage = "/404.html" };
        var first = await _site.H.Requests.ReviseAsync(_site.Id, withPage, TestActors.Alice);
        Assert.True(first.Succeeded, first.Message);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.TestingReady, RequestState.TestingFailed);
        var second = await _site.H.Requests.ReviseAsync(_site.Id, withPage with { NotFoundPage = null }, TestActors.Alice);
        Assert.True(second.Succeeded, second.Message);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.TestingReady, RequestState.TestingFailed);
        await _site.PublishAsync(TestZips.Site(("index.html", "no 404 page here")));
        var before = await _site.H.RequestAsync(_site.Id);

        var refused = await _site.H.Requests.RestoreRevisionAsync(_site.Id, 2, TestActors.Alice);

        Assert.False(refused.Succeeded);
        Assert.Equal(RefusalCode.Invalid, refused.Code);
        Assert.Equal("Revision 2 cannot be restored: it is no longer valid under today's rules. /404.html is not in the site's uploaded content (content version 1): upload it, or name a page the content has (paths are case-sensitive).",
            refused.Message);
        Assert.Equal("notFoundPage", Assert.Single(refused.Errors).Field);
        var after = await _site.H.RequestAsync(_site.Id);
        Assert.Equal((before.Version, before.CurrentRevisionNumber, before.State), (after.Version, after.CurrentRevisionNumber, after.State));
    }

    [Fact]
    public async Task Another_requester_may_not_restore_a_revision()
    {
        var revised = await _site.H.Requests.ReviseAsync(_site.Id, TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [] }, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);

        var refused = await _site.H.Requests.RestoreRevisionAsync(_site.Id, 1, TestActors.Rita);

        Assert.Equal(RefusalCode.NotOwner, refused.Code);
        Assert.Equal(2, (await _site.H.RequestAsync(_site.Id)).CurrentRevisionNumber);
    }
}
