using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

public sealed class SeparationOfDutiesTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = TestActors.SignedInAt.AddMinutes(10);

    [Fact]
    public void Requester_cannot_approve_their_own_request()
    {
        var ownerWhoApproves = Actor.Person("alice", "Alice", TestActors.SignedInAt, PortalRole.Requester, PortalRole.Approver);
        var request = AwaitingApproval(ownerWhoApproves);

        var decision = request.Apply(WorkflowAction.Promote, ownerWhoApproves, null, Now, MaxAuthAge);

        Assert.False(decision.Allowed);
        Assert.Equal(RefusalCode.SeparationOfDuties, decision.Code);
        Assert.Equal("You submitted this request; a different approver must review it.", decision.Reason);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
    }

    [Fact]
    public void Last_editor_cannot_approve()
    {
        var request = AwaitingApproval(TestActors.Alice);
        var adminEditor = TestActors.Dana;
        Assert.True(request.Revise(TestSpecs.Site() with { Csp = "default-src 'none'" }, adminEditor, Now, MaxAuthAge).Allowed);
        Deploy(request);
        Assert.True(request.Apply(WorkflowAction.RequestApproval, TestActors.Alice, null, Now, MaxAuthAge).Allowed);

        var decision = request.Apply(WorkflowAction.Promote, adminEditor, null, Now, MaxAuthAge);

        Assert.Equal(RefusalCode.SeparationOfDuties, decision.Code);
        Assert.Equal("You last edited this request; a different approver must review it.", decision.Reason);
        Assert.True(request.Apply(WorkflowAction.Promote, TestActors.Bob, null, Now, MaxAuthAge).Allowed);
    }

    [Fact]
    public void Stale_sign_in_cannot_approve_and_asks_for_step_up()
    {
        var request = AwaitingApproval(TestActors.Alice);
        var stale = TestActors.Bob with { AuthenticatedAt = Now - MaxAuthAge - TimeSpan.FromSeconds(1) };

        var decision = request.Apply(WorkflowAction.Promote, stale, null, Now, MaxAuthAge);

        Assert.Equal(RefusalCode.StepUpRequired, decision.Code);
        Assert.Equal("Promote needs a sign-in within the last 15 minutes; please sign in again.", decision.Reason);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
    }

    [Fact]
    public void Sign_in_exactly_at_the_limit_is_recent_enough()
    {
        var request = AwaitingApproval(TestActors.Alice);
        var atLimit = TestActors.Bob with { AuthenticatedAt = Now - MaxAuthAge };

        Assert.True(request.Apply(WorkflowAction.Promote, atLimit, null, Now, MaxAuthAge).Allowed);
    }

    [Fact]
    public void Unknown_sign_in_time_cannot_approve()
    {
        var request = AwaitingApproval(TestActors.Alice);
        var unknown = TestActors.Bob with { AuthenticatedAt = null };

        Assert.Equal(RefusalCode.StepUpRequired, request.Apply(WorkflowAction.Promote, unknown, null, Now, MaxAuthAge).Code);
    }

    [Fact]
    public void Reject_needs_a_reason_before_anything_else_is_asked()
    {
        var request = AwaitingApproval(TestActors.Alice);

        var decision = request.Apply(WorkflowAction.Reject, TestActors.Bob, "  ", Now, MaxAuthAge);

        Assert.Equal(RefusalCode.ReasonRequired, decision.Code);
        Assert.Equal("Reject needs a reason.", decision.Reason);
    }

    [Fact]
    public void Whoever_asked_for_decommission_cannot_approve_it()
    {
        var request = AwaitingApproval(TestActors.Alice);
        Assert.True(request.Apply(WorkflowAction.Promote, TestActors.Bob, null, Now, MaxAuthAge).Allowed);
        Assert.True(request.Apply(WorkflowAction.StartProductionDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
        Assert.True(request.Apply(WorkflowAction.CompleteProductionDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
        Assert.True(request.Apply(WorkflowAction.RequestDecommission, TestActors.Dana, "No longer needed", Now, MaxAuthAge).Allowed);

        var decision = request.Apply(WorkflowAction.ApproveDecommission, TestActors.Dana, "Agreed", Now, MaxAuthAge);

        Assert.Equal(RefusalCode.SeparationOfDuties, decision.Code);
        Assert.Equal("You asked for this decommission; a different approver must approve it.", decision.Reason);
        Assert.True(request.Apply(WorkflowAction.ApproveDecommission, TestActors.Carol, "Agreed", Now, MaxAuthAge).Allowed);
        Assert.Equal(RequestState.Decommissioning, request.State);
    }

    private static PortalRequest AwaitingApproval(Actor owner)
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), owner, Now);
        Assert.True(request.Apply(WorkflowAction.Submit, owner, null, Now, MaxAuthAge).Allowed);
        Deploy(request);
        Assert.True(request.Apply(WorkflowAction.RequestApproval, owner, null, Now, MaxAuthAge).Allowed);
        return request;
    }

    private static void Deploy(PortalRequest request)
    {
        Assert.True(request.Apply(WorkflowAction.StartTestingDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
        Assert.True(request.Apply(WorkflowAction.CompleteTestingDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
    }
}
