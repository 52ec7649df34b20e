using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Workflow;

/// <summary>
/// Which waiting requests the approvals list shows: a per-team approver only their teams' (the only ones they may
/// decide); the Approver role and admins every request; someone who approves nothing sees the list unfiltered.
/// </summary>
public sealed class ApprovalListTeamsTests
{
    private static readonly Actor WebApprover = Actor.Person("wendy", "Wendy Web", TestActors.SignedInAt, PortalRole.Requester) with
    {
        ApproverTeams = new HashSet<string>(["web", "docs"], StringComparer.Ordinal),
    };

    [Fact]
    public void A_per_team_approver_sees_only_the_teams_they_approve_for() =>
        Assert.Equal(["docs", "web"], AvailableActions.ApprovalListTeams(WebApprover));

    [Fact]
    public void The_approver_role_and_admins_see_every_request()
    {
        Assert.Null(AvailableActions.ApprovalListTeams(TestActors.Bob));
        Assert.Null(AvailableActions.ApprovalListTeams(TestActors.Dana));
        Assert.Null(AvailableActions.ApprovalListTeams(TestActors.Bob with { ApproverTeams = WebApprover.ApproverTeams }));
    }

    [Fact]
    public void Someone_who_approves_nothing_is_not_limited() =>
        Assert.Null(AvailableActions.ApprovalListTeams(TestActors.Alice));
}
