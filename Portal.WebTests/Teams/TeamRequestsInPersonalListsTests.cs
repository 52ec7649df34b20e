using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages;
using Portal.Components.Pages.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Teams;

/// <summary>
/// "My requests" and the dashboard list a person's own requests and those of their teams, whose members may act on
/// them; a team's request is marked with its team, and someone outside the team does not see it there.
/// </summary>
public sealed class TeamRequestsInPersonalListsTests : IAsyncLifetime
{
    private static readonly Actor Alice = TestActors.Alice with { Teams = new HashSet<string>(["web"], StringComparer.Ordinal) };
    private static readonly Actor Tess = Actor.Person("tess", "Tess Teammate", TestActors.SignedInAt, PortalRole.Requester) with
    {
        Teams = new HashSet<string>(["web"], StringComparer.Ordinal),
    };

    private PortalComponentContext _portal = default!;
    private Guid _teamRequest;
    private Guid _ritasOwn;

    public async Task InitializeAsync()
    {
        _portal = await PortalComponentContext.CreateAsync();
        _portal.Bunit.Services.AddSingleton(_portal.Queries);
        var team = await _portal.Requests.CreateAsync(TestSpecs.Site("team.example.com"), Alice, submit: false, teamId: "web");
        Assert.True(team.Succeeded, team.Message);
        _teamRequest = team.RequestId;
        var own = await _portal.Requests.CreateAsync(TestSpecs.Site("rita.example.com"), TestActors.Rita, submit: false);
        Assert.True(own.Succeeded, own.Message);
        _ritasOwn = own.RequestId;
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private IRenderedComponent<CascadingValue<Actor>> Render<TComponent>(Actor actor)
        where TComponent : IComponent =>
        _portal.Bunit.Render<CascadingValue<Actor>>(p => p.Add(x => x.Value, actor).AddChildContent<TComponent>());

    [Fact]
    public void My_requests_of_a_team_member_who_is_not_the_requester_lists_the_teams_request_marked_with_its_team()
    {
        var page = Render<MyRequests>(Tess);

        var link = page.WaitForElement($"a[href='/requests/{_teamRequest}']");
        var row = link.Closest("tr")!;
        Assert.Equal("team web", row.QuerySelector("[data-team='web']")!.TextContent.Trim());
        Assert.Empty(page.FindAll($"a[href='/requests/{_ritasOwn}']"));
    }

    [Fact]
    public void My_requests_of_someone_outside_the_team_lists_only_their_own()
    {
        var page = Render<MyRequests>(TestActors.Rita);

        var own = page.WaitForElement($"a[href='/requests/{_ritasOwn}']");
        Assert.Null(own.Closest("tr")!.QuerySelector("[data-team]"));
        Assert.Empty(page.FindAll($"a[href='/requests/{_teamRequest}']"));
    }

    [Fact]
    public void The_dashboard_shows_a_team_member_their_teams_request_marked_with_its_team()
    {
        var home = Render<Home>(Tess);

        var row = home.WaitForElement($"tr[data-mine-row='{_teamRequest}']");
        Assert.NotNull(row.QuerySelector("[data-team='web']"));
        Assert.Empty(home.FindAll($"tr[data-mine-row='{_ritasOwn}']"));
    }
}
