using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>A request's revisions and audit trail as it moves through the workflow.</summary>
public sealed class RequestLifecycleTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset T0 = TestActors.SignedInAt.AddMinutes(1);

    [Fact]
    public void Each_transition_appends_one_audit_event_with_who_when_from_to_and_why()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, T0);
        request.Apply(WorkflowAction.Submit, TestActors.Alice, null, T0.AddMinutes(1), MaxAuthAge);
        request.Apply(WorkflowAction.StartTestingDeployment, Actor.System, null, T0.AddMinutes(2), MaxAuthAge);
        request.Apply(WorkflowAction.FailTestingDeployment, Actor.System, "Certificate validation timed out", T0.AddMinutes(3), MaxAuthAge);

        Assert.Collection(request.AuditEvents,
            e => (e.Action, e.FromState, e.ToState, e.ActorId).ShouldBe(("Create", (RequestState?)null, RequestState.Draft, "alice")),
            e => (e.Action, e.FromState, e.ToState, e.ActorId).ShouldBe(("Submit", RequestState.Draft, RequestState.Submitted, "alice")),
            e => (e.Action, e.FromState, e.ToState, e.ActorId).ShouldBe(("StartTestingDeployment", RequestState.Submitted, RequestState.TestingDeploying, "system")),
            e =>
            {
                (e.Action, e.FromState, e.ToState, e.ActorId).ShouldBe(("FailTestingDeployment", RequestState.TestingDeploying, RequestState.TestingFailed, "system"));
                Assert.Equal("Certificate validation timed out", e.Reason);
                Assert.Equal(T0.AddMinutes(3), e.At);
            });
        Assert.Equal("Certificate validation timed out", request.FailureMessage);
    }

    [Fact]
    public void A_refused_action_changes_nothing()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, T0);
        var before = (request.State, request.Version, request.AuditEvents.Count);

        var decision = request.Apply(WorkflowAction.Promote, TestActors.Bob, null, T0, MaxAuthAge);

        Assert.False(decision.Allowed);
        Assert.Equal("Promote is not possible while the request is a draft.", decision.Reason);
        Assert.Equal(before, (request.State, request.Version, request.AuditEvents.Count));
    }

    [Fact]
    public void Editing_a_live_request_makes_a_new_revision_and_discarding_it_returns_to_the_live_one()
    {
        var request = Live();
        var changed = TestSpecs.Site() with { Csp = "default-src 'none'" };

        Assert.True(request.Revise(changed, TestActors.Alice, T0, MaxAuthAge).Allowed);
        Assert.Equal((2, RequestState.Submitted, 1), (request.CurrentRevisionNumber, request.State, request.LiveRevisionNumber!.Value));
        Assert.Equal("default-src 'none'", ((SiteSpec)request.CurrentRevision.Spec).Csp);

        request.Apply(WorkflowAction.StartTestingDeployment, Actor.System, null, T0, MaxAuthAge);
        request.Apply(WorkflowAction.CompleteTestingDeployment, Actor.System, null, T0, MaxAuthAge);
        Assert.Equal(RefusalCode.ConditionNotMet, request.Apply(WorkflowAction.Withdraw, TestActors.Alice, null, T0, MaxAuthAge).Code);
        Assert.True(request.Apply(WorkflowAction.DiscardRevision, TestActors.Alice, null, T0, MaxAuthAge).Allowed);

        Assert.Equal((1, RequestState.Live), (request.CurrentRevisionNumber, request.State));
        Assert.Equal(2, request.Revisions.Count);
    }

    [Fact]
    public void A_draft_is_edited_in_place_by_its_owner_only()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, T0);

        Assert.Equal(RefusalCode.NotOwner, request.EditDraft(TestSpecs.Site(), TestActors.Rita, T0).Code);
        Assert.True(request.EditDraft(TestSpecs.Site() with { HstsPreload = false }, TestActors.Alice, T0).Allowed);

        Assert.Single(request.Revisions);
        Assert.False(((SiteSpec)request.CurrentRevision.Spec).HstsPreload);
    }

    [Fact]
    public void A_request_keeps_its_kind_and_name()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, T0);

        var renamed = request.EditDraft(TestSpecs.Site("blog.example.com"), TestActors.Alice, T0);
        var otherKind = request.EditDraft(TestSpecs.MtaSts(), TestActors.Alice, T0);

        Assert.Equal("This request is for 'docs.example.com'; to provision 'blog.example.com', create a new request.", renamed.Reason);
        Assert.Equal("A request cannot change its kind; create a new request instead.", otherKind.Reason);
    }

    private static PortalRequest Live()
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, T0);
        foreach (var (action, actor) in new[]
        {
            (WorkflowAction.Submit, TestActors.Alice),
            (WorkflowAction.StartTestingDeployment, Actor.System),
            (WorkflowAction.CompleteTestingDeployment, Actor.System),
            (WorkflowAction.RequestApproval, TestActors.Alice),
            (WorkflowAction.Promote, TestActors.Bob),
            (WorkflowAction.StartProductionDeployment, Actor.System),
            (WorkflowAction.CompleteProductionDeployment, Actor.System),
        })
        {
            Assert.True(request.Apply(action, actor, null, T0, MaxAuthAge).Allowed, action.ToString());
        }

        return request;
    }
}

internal static class TupleAssertions
{
    public static void ShouldBe<T>(this T actual, T expected) => Assert.Equal(expected, actual);
}
