using System.Net;
using System.Net.Http.Json;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// Over the API a request shows the team it belongs to, and <c>owner=me</c> lists the caller's own requests and those
/// of their teams (each row naming its team); someone outside the team sees only their own.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTeamRequestsTests(ApiPortal api)
{
    [Fact]
    public async Task A_request_shows_its_team_and_a_team_member_who_is_not_the_requester_finds_it_under_owner_me()
    {
        await api.UserAsync("teamview-admin@example.test", "Tia Admin", PortalRole.Admin);
        var ann = await api.UserAsync("teamview-ann@example.test", "Ann Author", PortalRole.Requester);
        var tom = await api.UserAsync("teamview-tom@example.test", "Tom Teammate", PortalRole.Requester);
        await api.UserAsync("teamview-out@example.test", "Oona Outsider", PortalRole.Requester);
        using var admin = api.Client(await api.TokenAsync("teamview-admin@example.test"));
        using (var saved = await admin.PutAsJsonAsync("/api/v1/admin/teams/teamview", new { name = "Team view" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        }

        foreach (var (id, name) in new[] { (ann, "Ann Author"), (tom, "Tom Teammate") })
        {
            using var added = await admin.PutAsJsonAsync($"/api/v1/admin/teams/teamview/members/{id}", new { name });
            Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        }

        using var author = api.Client(await api.TokenAsync("teamview-ann@example.test"));
        using var teammate = api.Client(await api.TokenAsync("teamview-tom@example.test"));
        using var outsider = api.Client(await api.TokenAsync("teamview-out@example.test"));
        var created = await ReadAsync(await PostAsync(author, "/api/v1/requests?team=teamview", JsonBody(TestSpecs.Site("teamview.example.com"))), HttpStatusCode.Created);
        Assert.Equal("teamview", created.GetProperty("team").GetString());
        var own = await ReadAsync(await PostAsync(outsider, "/api/v1/requests", JsonBody(TestSpecs.Site("teamview-own.example.com"))), HttpStatusCode.Created);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, own.GetProperty("team").ValueKind);

        var read = await ReadAsync(await teammate.GetAsync($"/api/v1/requests/{Id(created)}"), HttpStatusCode.OK);
        Assert.Equal("teamview", read.GetProperty("team").GetString());

        var teammates = await ReadAsync(await teammate.GetAsync("/api/v1/requests?owner=me&search=teamview"), HttpStatusCode.OK);
        var row = Assert.Single(teammates.GetProperty("items").EnumerateArray());
        Assert.Equal(("teamview.example.com", "Ann Author", "teamview"), (row.GetProperty("name").GetString(), row.GetProperty("ownerName").GetString(), row.GetProperty("teamId").GetString()));

        var outsiders = await ReadAsync(await outsider.GetAsync("/api/v1/requests?owner=me&search=teamview"), HttpStatusCode.OK);
        Assert.Equal(["teamview-own.example.com"], outsiders.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }
}
