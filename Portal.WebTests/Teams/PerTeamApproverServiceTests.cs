using Microsoft.Extensions.Options;
using Portal.Core.Approvals;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Teams;

/// <summary>
/// Per-team approvers named by an admin (stored by the portal): the request service lets one approve their team's
/// request and refuses another team's.
/// </summary>
public sealed class PerTeamApproverServiceTests
{
    private static readonly Actor Wendy = Actor.Person("wendy", "Wendy Web", TestActors.SignedInAt, PortalRole.Requester);

    [Fact]
    public async Task A_per_team_approver_approves_their_teams_request_and_cannot_approve_another_teams()
    {
        var db = await TestDatabases.SqliteAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TestActors.SignedInAt.AddMinutes(1));
        var service = new RequestService(db, clock, Options.Create(new ApprovalOptions()));
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Teams.AddRange(new TeamRecord { Id = "web", Name = "Web" }, new TeamRecord { Id = "mail", Name = "Mail" });
            context.TeamMembers.AddRange(
                new TeamMemberRecord { TeamId = "web", PersonId = "alice", PersonName = "Alice" },
                new TeamMemberRecord { TeamId = "mail", PersonId = "alice", PersonName = "Alice" });
            context.TeamApprovers.Add(new TeamApproverRecord { TeamId = "web", PersonId = "wendy", PersonName = "Wendy Web" });
            await context.SaveChangesAsync();
        }

        var web = await AwaitingApprovalAsync(service, "web.example.com", "web");
        var mail = await AwaitingApprovalAsync(service, "mail.example.com", "mail");

        var refused = await service.ApplyAsync(mail, WorkflowAction.Promote, Wendy);
        var promoted = await service.ApplyAsync(web, WorkflowAction.Promote, Wendy);

        Assert.Equal(RefusalCode.RoleRequired, refused.Code);
        Assert.Equal("You approve for team 'web'; this request belongs to team 'mail'. Promote needs an approver of its team or the Approver role.", refused.Message);
        Assert.True(promoted.Succeeded, promoted.Message);
        Assert.Equal(RequestState.AwaitingApproval, (await service.GetAsync(mail))!.State);
    }

    private static async Task<Guid> AwaitingApprovalAsync(RequestService service, string host, string team)
    {
        var created = await service.CreateAsync(TestSpecs.Site(host) with { RedirectFrom = [] }, TestActors.Alice, submit: true, team);
        Assert.True(created.Succeeded, created.Message + string.Join("; ", created.Errors.Select(e => e.Message)));
        foreach (var action in new[] { WorkflowAction.StartTestingDeployment, WorkflowAction.CompleteTestingDeployment })
        {
            Assert.True((await service.ApplyAsync(created.RequestId, action, Actor.System)).Succeeded);
        }

        Assert.True((await service.ApplyAsync(created.RequestId, WorkflowAction.RequestApproval, TestActors.Alice)).Succeeded);
        return created.RequestId;
    }
}
