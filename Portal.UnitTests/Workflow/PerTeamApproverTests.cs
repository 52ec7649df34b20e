using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>
/// An approver of one team approves that team's requests and no other's; the global Approver role approves for all;
/// separation of duties holds for both.
/// </summary>
public sealed class PerTeamApproverTests
{
    private static readonly TimeSpan MaxAuthAge = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = TestActors.SignedInAt.AddMinutes(10);

    /// <summary>A requester an admin made approver of team web; no Approver role.</summary>
    private static readonly Actor WebApprover = Actor.Person("wendy", "Wendy", TestActors.SignedInAt, PortalRole.Requester) with
    {
        ApproverTeams = new HashSet<string>(StringComparer.Ordinal) { "web" },
    };

    [Fact]
    public void An_approver_of_the_requests_team_promotes_it()
    {
        var request = AwaitingApproval("web");

        var decision = request.Apply(WorkflowAction.Promote, WebApprover, null, Now, MaxAuthAge);

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Equal(RequestState.Approved, request.State);
    }

    [Fact]
    public void An_approver_of_another_team_cannot_approve_and_is_told_why()
    {
        var request = AwaitingApproval("mail");

        var decision = request.Apply(WorkflowAction.Promote, WebApprover, null, Now, MaxAuthAge);

        Assert.False(decision.Allowed);
        Assert.Equal(RefusalCode.RoleRequired, decision.Code);
        Assert.Equal("You approve for team 'web'; this request belongs to team 'mail'. Promote needs an approver of its team or the Approver role.", decision.Reason);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
    }

    [Fact]
    public void A_per_team_approver_sees_promote_only_on_their_teams_requests()
    {
        Assert.Contains(AvailableActions.For(AwaitingApproval("web").Facts, WebApprover, Now, MaxAuthAge), o => o.Action == WorkflowAction.Promote && o.Enabled);
        Assert.DoesNotContain(AvailableActions.For(AwaitingApproval("mail").Facts, WebApprover, Now, MaxAuthAge), o => o.Action == WorkflowAction.Promote);
        Assert.True(AvailableActions.CanApprove(WebApprover));
    }

    [Fact]
    public void A_per_team_approver_who_last_changed_the_revision_cannot_approve_it()
    {
        var member = WebApprover with { Teams = new HashSet<string>(StringComparer.Ordinal) { "web" } };
        var request = AwaitingApproval("web");
        Assert.True(request.Revise(TestSpecs.Site() with { Csp = "default-src 'none'" }, member, Now, MaxAuthAge).Allowed);
        Deploy(request);
        Assert.True(request.Apply(WorkflowAction.RequestApproval, TestActors.Alice, null, Now, MaxAuthAge).Allowed);

        var decision = request.Apply(WorkflowAction.Promote, member, null, Now, MaxAuthAge);

        Assert.Equal(RefusalCode.SeparationOfDuties, decision.Code);
        Assert.Equal("You last edited this request; a different approver must review it.", decision.Reason);
    }

    [Fact]
    public void The_Approver_role_approves_for_every_team()
    {
        var decision = AwaitingApproval("mail").Apply(WorkflowAction.Promote, TestActors.Bob, null, Now, MaxAuthAge);

        Assert.True(decision.Allowed, decision.Reason);
    }

    private static PortalRequest AwaitingApproval(string team)
    {
        var request = PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, Now, team);
        Assert.True(request.Apply(WorkflowAction.Submit, TestActors.Alice, null, Now, MaxAuthAge).Allowed);
        Deploy(request);
        Assert.True(request.Apply(WorkflowAction.RequestApproval, TestActors.Alice, null, Now, MaxAuthAge).Allowed);
        return request;
    }

    private static void Deploy(PortalRequest request)
    {
        Assert.True(request.Apply(WorkflowAction.StartTestingDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
        Assert.True(request.Apply(WorkflowAction.CompleteTestingDeployment, Actor.System, null, Now, MaxAuthAge).Allowed);
    }
}
