using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Infrastructure.Teams;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// Over the API, an admin lists the account's hosted zones (Route53 ListHostedZones) and allows one; a request for a
/// zone outside the allowed ones is refused naming the field, and a zone given by name alone is resolved to its id.
/// </summary>
public sealed class ApiZonesAndTeamsTests : IAsyncLifetime
{
    private LoopbackAws _aws = null!;
    private ApiPortal _api = null!;
    private string _data = "";
    private string _example = "";
    private string _org = "";
    private string _aliceId = "";

    public async Task InitializeAsync()
    {
        _aws = await LoopbackAws.StartAsync();
        _example = _aws.Route53.AddZone("example.com");
        _org = _aws.Route53.AddZone("example.org");
        _data = Directory.CreateTempSubdirectory("portal-api-zones-").FullName;
        _api = new ApiPortal { Settings = PortalAwsSettings.For(_aws, _data, withCredentials: true), DataDirectory = _data };
        await _api.InitializeAsync();
        await _api.UserAsync("ada@example.test", "Ada Admin", PortalRole.Admin);
        _aliceId = await _api.UserAsync("alice@example.test", "Alice Requester", PortalRole.Requester);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _aws.DisposeAsync();
        TestDirectories.Delete(_data);
    }

    [Fact]
    public async Task An_admin_allows_a_listed_zone_and_a_request_outside_it_is_refused_while_a_zone_name_alone_resolves()
    {
        using var admin = _api.Client(await _api.TokenAsync("ada@example.test"));
        using var alice = _api.Client(await _api.TokenAsync("alice@example.test"));

        var listing = await ReadAsync(await admin.GetAsync("/api/v1/admin/zones"), HttpStatusCode.OK);
        var listed = listing.GetProperty("zones").EnumerateArray().Select(z => (z.GetProperty("zoneName").GetString(), z.GetProperty("zoneId").GetString())).ToList();
        Assert.Equal([("example.com", _example), ("example.org", _org)], listed);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/api/v1/admin/zones")).StatusCode);

        using var allowed = await admin.PutAsJsonAsync($"/api/v1/admin/zones/{_example}/grants/everyone", new { zoneName = "example.com" });
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);

        var outside = TestSpecs.Site("docs.example.org") with { HostedZoneId = _org, HostedZoneName = "example.org", RedirectFrom = [] };
        var refused = await FieldProblemAsync(await PostAsync(alice, "/api/v1/requests", JsonBody(outside)), "hostedZoneName");
        Assert.Equal($"The hosted zone example.org ({_org}) is not one you may use (allowed: example.com).",
            refused.GetProperty("errors").GetProperty("hostedZoneName")[0].GetString());

        var byName = TestSpecs.Site("docs.example.com") with { HostedZoneId = "", HostedZoneName = "example.com", RedirectFrom = [] };
        var created = await ReadAsync(await PostAsync(alice, "/api/v1/requests", JsonBody(byName)), HttpStatusCode.Created);
        Assert.Equal(_example, created.GetProperty("spec").GetProperty("hostedZoneId").GetString());

        var mine = await ReadAsync(await alice.GetAsync("/api/v1/zones"), HttpStatusCode.OK);
        Assert.Equal(["example.com"], mine.EnumerateArray().Select(z => z.GetProperty("zoneName").GetString()));

        var changes = await _api.Portal.Services.GetRequiredService<TeamAdministration>().RecentChangesAsync(10);
        var change = Assert.Single(changes);
        Assert.Equal(("Ada Admin", "AllowZone", $"zone example.com ({_example})", "to everyone"), (change.ActorName, change.Action, change.Subject, change.Detail));
    }

    [Fact]
    public async Task A_request_in_a_team_the_caller_is_not_in_is_refused()
    {
        using var admin = _api.Client(await _api.TokenAsync("ada@example.test"));
        using var alice = _api.Client(await _api.TokenAsync("alice@example.test"));
        using var saved = await admin.PutAsJsonAsync("/api/v1/admin/teams/web", new { name = "Web platform" });
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);

        var spec = TestSpecs.Site("team.example.com") with { HostedZoneId = _example, RedirectFrom = [] };
        var refused = await FieldProblemAsync(await PostAsync(alice, "/api/v1/requests?team=web", JsonBody(spec)), "team");
        Assert.Equal("You are not a member of team 'web'; choose one of your teams, or none.", refused.GetProperty("errors").GetProperty("team")[0].GetString());

        using var added = await admin.PutAsJsonAsync($"/api/v1/admin/teams/web/members/{_aliceId}", new { name = "Alice Requester" });
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        await ReadAsync(await PostAsync(alice, "/api/v1/requests?team=web", JsonBody(spec)), HttpStatusCode.Created);
    }
}
