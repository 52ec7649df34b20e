using Portal.Core.Content;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Content;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Content;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Teams;

/// <summary>
/// A site that belongs to a team takes content from a member who is not its requester (membership kept by the
/// portal, as admins manage it for the built-in provider); someone outside the team is refused.
/// </summary>
public sealed class TeamMemberUploadsContentTests : IAsyncLifetime
{
    private EngineHarness _h = null!;
    private Guid _site;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.StartAsync();
        await using (var db = await _h.Db.CreateDbContextAsync())
        {
            db.Teams.Add(new TeamRecord { Id = "web", Name = "Web platform" });
            db.TeamMembers.Add(new TeamMemberRecord { TeamId = "web", PersonId = TestActors.Alice.Id, PersonName = TestActors.Alice.DisplayName });
            db.TeamMembers.Add(new TeamMemberRecord { TeamId = "web", PersonId = TestActors.Rita.Id, PersonName = TestActors.Rita.DisplayName });
            await db.SaveChangesAsync();
        }

        var created = await _h.Requests.CreateAsync(TestSpecs.Site() with { RedirectFrom = [] }, TestActors.Alice, submit: true, "web");
        Assert.True(created.Succeeded, created.Message);
        _site = created.RequestId;
        await _h.RunUntilStateAsync(_site, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.Equal(RequestState.TestingReady, (await _h.RequestAsync(_site)).State);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_team_member_who_is_not_the_requester_uploads_content()
    {
        var result = await _h.Content.PublishAsync(_site, new MemoryStream(TestZips.Site(("index.html", "<h1>Team</h1>"))), TestActors.Rita, ContentSource.Upload);

        Assert.True(result.Succeeded, result.Problem?.Message);
        var recorded = (await _h.RequestAsync(_site)).AuditEvents[^1];
        Assert.Equal(("PublishContent", "rita"), (recorded.Action, recorded.ActorId));
    }

    [Fact]
    public async Task Someone_outside_the_team_is_refused()
    {
        var outsider = Actor.Person("otto", "Otto Outsider", TestActors.SignedInAt, PortalRole.Requester);

        var result = await _h.Content.PublishAsync(_site, new MemoryStream(TestZips.Site(("index.html", "<h1>No</h1>"))), outsider, ContentSource.Upload);

        Assert.False(result.Succeeded);
        Assert.Equal(ContentProblemKind.Forbidden, result.Problem!.Kind);
        Assert.Equal("Only the person who made this request, a member of team 'web', or an admin, can upload its content.", result.Problem.Message);
    }
}
