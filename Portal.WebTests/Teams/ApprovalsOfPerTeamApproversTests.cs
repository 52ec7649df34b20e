using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Teams;

/// <summary>
/// The approvals list of a per-team approver holds only their teams' waiting requests, marked with the team; an
/// approver with the Approver role sees every team's.
/// </summary>
public sealed class ApprovalsOfPerTeamApproversTests : IAsyncLifetime
{
    private static readonly Actor WebMember = TestActors.Alice with { Teams = new HashSet<string>(["web"], StringComparer.Ordinal) };
    private static readonly Actor MailMember = TestActors.Rita with { Teams = new HashSet<string>(["mail"], StringComparer.Ordinal) };
    private static readonly Actor MailApprover = Actor.Person("mona", "Mona Mail", TestActors.SignedInAt, PortalRole.Requester) with
    {
        ApproverTeams = new HashSet<string>(["mail"], StringComparer.Ordinal),
    };

    private PortalComponentContext _portal = default!;
    private Guid _web;
    private Guid _mail;

    public async Task InitializeAsync()
    {
        _portal = await PortalComponentContext.CreateAsync();
        _portal.Bunit.Services.AddSingleton(_portal.Queries);
        _web = await AwaitingApprovalAsync(TestSpecs.Site("web.example.com"), WebMember, "web");
        _mail = await AwaitingApprovalAsync(TestSpecs.Site("mail.example.com"), MailMember, "mail");
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public void A_per_team_approver_sees_only_their_teams_waiting_request()
    {
        var page = Render(MailApprover);

        var link = page.Find($"a[href='/requests/{_mail}']");
        Assert.NotNull(link.Closest("tr")!.QuerySelector("[data-team='mail']"));
        Assert.Empty(page.FindAll($"a[href='/requests/{_web}']"));
    }

    [Fact]
    public void An_approver_with_the_role_sees_every_teams_waiting_request()
    {
        var page = Render(TestActors.Bob);

        Assert.NotNull(page.Find($"a[href='/requests/{_mail}']"));
        Assert.NotNull(page.Find($"a[href='/requests/{_web}']"));
    }

    private IRenderedComponent<CascadingValue<Actor>> Render(Actor actor) =>
        _portal.Bunit.Render<CascadingValue<Actor>>(p => p.Add(x => x.Value, actor).AddChildContent<Portal.Components.Pages.Approvals>());

    /// <summary>A request of the team, deployed to testing by the system and sent for approval by its requester.</summary>
    private async Task<Guid> AwaitingApprovalAsync(Portal.Core.Requests.SiteSpec spec, Actor requester, string team)
    {
        var created = await _portal.Requests.CreateAsync(spec, requester, submit: true, teamId: team);
        Assert.True(created.Succeeded, created.Message);
        foreach (var (action, actor) in new[]
        {
            (WorkflowAction.StartTestingDeployment, Actor.System),
            (WorkflowAction.CompleteTestingDeployment, Actor.System),
            (WorkflowAction.RequestApproval, requester),
        })
        {
            var applied = await _portal.Requests.ApplyAsync(created.RequestId, action, actor);
            Assert.True(applied.Succeeded, $"{action}: {applied.Message}");
        }

        return created.RequestId;
    }
}
