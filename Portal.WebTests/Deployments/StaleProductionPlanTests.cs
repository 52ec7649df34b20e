using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>A plan whose basis changes before promotion is replaced; an approval given for the old plan never executes the new one.</summary>
public sealed class StaleProductionPlanTests : IAsyncLifetime
{
    private SiteInTesting _site = null!;

    public async Task InitializeAsync() => _site = await SiteInTesting.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task New_testing_content_after_the_plan_replaces_it_and_the_reviewed_plan_cannot_be_promoted()
    {
        var h = _site.H;
        await _site.PublishAsync(TestZips.Site(("index.html", "reviewed")));
        Assert.True((await h.Requests.ApplyAsync(_site.Id, WorkflowAction.RequestApproval, TestActors.Alice)).Succeeded);
        var reviewed = await h.PlanReadyAsync(_site.Id);
        Assert.Equal(1, reviewed.ContentVersionNumber);

        await _site.PublishAsync(TestZips.Site(("index.html", "slipped in")));
        var approver = Actor.Person("bob", "Bob Approver", h.Clock.GetUtcNow(), PortalRole.Approver);

        // Before the engine has noticed, the approval of the reviewed plan is already refused.
        var early = await h.Requests.PromoteAsync(_site.Id, approver, expectedPlanId: reviewed.Id);
        Assert.Equal(RefusalCode.Conflict, early.Code);
        Assert.StartsWith("The plan changed, review again", early.Message, StringComparison.Ordinal);

        var replanned = await h.PlanReadyAsync(_site.Id, after: reviewed.Id);
        Assert.Equal(2, replanned.ContentVersionNumber);
        var stale = Assert.Single(await h.QueryAsync(db => db.ProductionPlans.Where(p => p.Id == reviewed.Id)));
        Assert.Equal((PlanStatus.Stale, "testing's content changed to version 2"), (stale.Status, stale.StaleReason));
        Assert.Equal("testing's content changed to version 2", (await h.Requests.LastStalePlanAsync(_site.Id))?.StaleReason);

        // The old plan's change sets are gone, and promoting it is refused: the approver must review again.
        var site = reviewed.Stacks.Single(s => s.Kind == Portal.Core.Templates.StackKind.Site);
        Assert.Contains(h.Aws.Calls, c => c.Operation == "DeleteChangeSet" && Equals(c.Input.GetValueOrDefault("ChangeSetName"), site.ChangeSetName));
        var refused = await h.Requests.PromoteAsync(_site.Id, approver, expectedPlanId: reviewed.Id);
        Assert.Equal(RefusalCode.Conflict, refused.Code);
        Assert.Equal("The plan changed, review again: the change sets you reviewed were replaced by a new plan.", refused.Message);
        Assert.Equal(RequestState.AwaitingApproval, (await h.RequestAsync(_site.Id)).State);

        // Approving the new plan executes the new plan's change set, never the old one's.
        var promoted = await h.Requests.PromoteAsync(_site.Id, approver, expectedPlanId: replanned.Id);
        Assert.True(promoted.Succeeded, promoted.Message);
        await h.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);
        var newSite = replanned.Stacks.Single(s => s.Kind == Portal.Core.Templates.StackKind.Site);
        var executed = h.Aws.Calls.Where(c => c.Operation == "ExecuteChangeSet" && Equals(c.Input.GetValueOrDefault("StackName"), site.StackName))
            .Select(c => c.Input.GetValueOrDefault("ChangeSetName")).Distinct().ToList();
        Assert.Equal([newSite.ChangeSetName], executed);
        Assert.NotEqual(site.ChangeSetName, newSite.ChangeSetName);
        Assert.Equal(RequestState.Live, (await h.RequestAsync(_site.Id)).State);
    }
}
