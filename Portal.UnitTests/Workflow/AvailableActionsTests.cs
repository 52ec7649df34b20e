using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

public sealed class AvailableActionsTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = TestActors.SignedInAt.AddMinutes(5);

    private static RequestFacts Facts(RequestState state, bool live = false) => new(state, "alice", "alice", live, null);

    [Fact]
    public void Owner_of_a_draft_sees_submit_and_withdraw()
    {
        var options = AvailableActions.For(Facts(RequestState.Draft), TestActors.Alice, Now, MaxAuthAge);

        Assert.Equal([WorkflowAction.Submit, WorkflowAction.Withdraw], options.Select(o => o.Action));
        Assert.All(options, o => Assert.True(o.Enabled));
    }

    [Fact]
    public void Someone_elses_draft_shows_no_actions()
    {
        Assert.Empty(AvailableActions.For(Facts(RequestState.Draft), TestActors.Rita, Now, MaxAuthAge));
        Assert.Empty(AvailableActions.For(Facts(RequestState.Draft), TestActors.Bob, Now, MaxAuthAge));
    }

    [Fact]
    public void An_approver_who_owns_the_request_sees_promote_disabled_with_the_reason()
    {
        var ownerApprover = Portal.Core.Workflow.Actor.Person("alice", "Alice", TestActors.SignedInAt, PortalRole.Requester, PortalRole.Approver);

        var options = AvailableActions.For(Facts(RequestState.AwaitingApproval), ownerApprover, Now, MaxAuthAge);

        var promote = Assert.Single(options, o => o.Action == WorkflowAction.Promote);
        Assert.False(promote.Enabled);
        Assert.Equal("You submitted this request; a different approver must review it.", promote.WhyNot);
        Assert.Contains(options, o => o.Action == WorkflowAction.Withdraw && o.Enabled);
    }

    [Fact]
    public void An_independent_approver_sees_promote_and_reject_and_reject_asks_for_a_reason()
    {
        var options = AvailableActions.For(Facts(RequestState.AwaitingApproval), TestActors.Bob, Now, MaxAuthAge);

        Assert.Equal([WorkflowAction.Promote, WorkflowAction.Reject], options.Select(o => o.Action));
        Assert.True(options.Single(o => o.Action == WorkflowAction.Reject).NeedsReason);
        Assert.All(options, o => Assert.True(o.Enabled));
    }

    [Fact]
    public void A_stale_sign_in_keeps_promote_enabled_but_says_step_up_comes_first()
    {
        var stale = TestActors.Bob with { AuthenticatedAt = Now.AddHours(-1) };

        var promote = AvailableActions.For(Facts(RequestState.AwaitingApproval), stale, Now, MaxAuthAge).Single(o => o.Action == WorkflowAction.Promote);

        Assert.True(promote.Enabled);
        Assert.True(promote.NeedsStepUp);
    }

    [Fact]
    public void A_pending_revision_of_a_live_request_offers_discard_not_withdraw()
    {
        var options = AvailableActions.For(Facts(RequestState.TestingReady, live: true), TestActors.Alice, Now, MaxAuthAge);

        Assert.Equal([WorkflowAction.RequestApproval, WorkflowAction.DiscardRevision], options.Select(o => o.Action));
    }

    [Fact]
    public void Only_admins_see_retry()
    {
        Assert.DoesNotContain(AvailableActions.For(Facts(RequestState.TestingFailed), TestActors.Alice, Now, MaxAuthAge), o => o.Action == WorkflowAction.Retry);
        Assert.Contains(AvailableActions.For(Facts(RequestState.TestingFailed), TestActors.Dana, Now, MaxAuthAge), o => o.Action == WorkflowAction.Retry && o.Enabled);
    }
}
