using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.LocalCloud.CloudFormation;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// <c>POST /api/v1/adoptions</c> with <c>kind=site</c> against the local cloud: a site deployed outside the portal (its own
/// stack of a bucket, a certificate and a distribution, with objects put in the bucket) is read through CloudFront's
/// GetDistribution and S3's ListObjectsV2 and recorded as an Adopted site request with the mapped settings, owner, team
/// and a health target; the owner's next revision deploys the portal's own stack to testing. What cannot be adopted is
/// refused as a problem document, with nothing recorded.
/// </summary>
public sealed class ApiSiteAdoptionTests : IAsyncLifetime
{
    private const string Host = "docs.example.com";
    private const string Bucket = "old-docs-site";

    private LoopbackAws _aws = null!;
    private ApiPortal _api = null!;
    private string _data = "";
    private string _zone = "";
    private string _otherZone = "";
    private string _aliceId = "";

    public async Task InitializeAsync()
    {
        _aws = await LoopbackAws.StartAsync(timings: new LifecycleTimings { ResourceStep = TimeSpan.FromMilliseconds(20), ChangeSetCreation = TimeSpan.FromMilliseconds(20) });
        _zone = _aws.Route53.AddZone("example.com");
        _otherZone = _aws.Route53.AddZone("example.org");
        _data = Directory.CreateTempSubdirectory("portal-api-site-adoption-").FullName;
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
    public async Task An_existing_site_is_adopted_with_its_settings_watched_and_its_next_revision_deploys_the_portals_stack_to_testing()
    {
        var distribution = await ExistingSites.DeployAsync(_aws.CloudFormation, "old-docs", Host, _zone, Bucket);
        _aws.S3.Put(Bucket, "index.html", "<h1>old docs</h1>", "text/html");
        _aws.S3.Put(Bucket, "404.html", "<h1>not here</h1>", "text/html");
        using var admin = _api.Client(await _api.TokenAsync("ada@example.test"));
        using var alice = _api.Client(await _api.TokenAsync("alice@example.test"));
        using (var team = await admin.PutAsJsonAsync("/api/v1/admin/teams/web", new { name = "Web team" }))
        {
            Assert.True(team.IsSuccessStatusCode, await team.Content.ReadAsStringAsync());
        }

        var adopted = await ReadAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody(Body(distribution, team: "web"))), HttpStatusCode.Created);

        Assert.Equal(("site", Host, distribution, "Deployed", Bucket, "rest"), (adopted.GetProperty("kind").GetString(), adopted.GetProperty("host").GetString(),
            adopted.GetProperty("distributionId").GetString(), adopted.GetProperty("distributionStatus").GetString(), adopted.GetProperty("bucket").GetString(),
            adopted.GetProperty("originEndpoint").GetString()));
        Assert.Equal((2, 34L, "/404.html", false), (adopted.GetProperty("objectCount").GetInt32(), adopted.GetProperty("totalBytes").GetInt64(),
            adopted.GetProperty("notFoundPage").GetString(), adopted.GetProperty("singlePageApplication").GetBoolean()));
        Assert.Empty(adopted.GetProperty("problems").EnumerateArray());
        var id = adopted.GetProperty("requestId").GetGuid();
        await using (var db = await _api.Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var request = await db.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).SingleAsync(r => r.Id == id);
            Assert.Equal((RequestState.Adopted, RequestKind.Site, Host, _aliceId, "web"), (request.State, request.Kind, request.PrimaryName, request.OwnerId, request.TeamId));
            var spec = Assert.IsType<SiteSpec>(request.CurrentRevision.Spec);
            Assert.Equal((_zone, "example.com", "/404.html", false, ViewerProtocol.RedirectToHttps),
                (spec.HostedZoneId, spec.HostedZoneName, spec.NotFoundPage, spec.SinglePageApplication, spec.ViewerProtocol));
            var audit = Assert.Single(request.AuditEvents);
            Assert.Equal(("Adopt", RequestState.Adopted), (audit.Action, audit.ToState));
            Assert.StartsWith($"Adopted {Host} from CloudFront distribution {distribution} (Deployed), origin bucket {Bucket} (REST endpoint) with 2 object(s), 34 bytes", audit.Reason, StringComparison.Ordinal);
            var target = await db.HealthTargets.SingleAsync(t => t.Name == Host);
            Assert.Equal((HealthCheckKind.Site, (Guid?)id), (target.Kind, target.RequestId));
            var adminEvent = await db.AdminAuditEvents.SingleAsync(e => e.Action == "AdoptSite");
            Assert.Equal($"site {Host}", adminEvent.Subject);
        }

        // The owner's next revision enters the normal workflow: the portal's own stack goes to testing beside the old distribution.
        var revision = TestSpecs.Site(Host) with { HostedZoneId = _zone, RedirectFrom = [], NotFoundPage = "/404.html" };
        var revised = await ReadAsync(await PostAsync(alice, $"/api/v1/requests/{id}/revisions", JsonBody(revision)), HttpStatusCode.OK);
        Assert.Equal("submitted", State(revised), ignoreCase: true);
        var requests = _api.Portal.Services.GetRequiredService<RequestService>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await requests.GetAsync(id))!.State != RequestState.TestingReady)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the adopted site's revision did not reach testing ({(await requests.GetAsync(id))!.State}): " + string.Join(" | ", _aws.Violations));
            await Task.Delay(100);
        }

        Assert.Contains(StackNaming.Site("portal", DeploymentEnvironment.Testing, Host), _aws.CloudFormation.AllStacks().Select(s => s.Name));
    }

    [Fact]
    public async Task What_cannot_be_adopted_is_refused_and_nothing_is_recorded()
    {
        var distribution = await ExistingSites.DeployAsync(_aws.CloudFormation, "old-docs", Host, _zone, Bucket);
        var custom = await ExistingSites.DeployAsync(_aws.CloudFormation, "old-app", "app.example.com", _zone, null);
        using var admin = _api.Client(await _api.TokenAsync("ada@example.test"));
        using var alice = _api.Client(await _api.TokenAsync("alice@example.test"));
        using var managed = await PostAsync(alice, "/api/v1/requests", JsonBody(TestSpecs.Site("managed.example.com") with { HostedZoneId = _zone, RedirectFrom = [] }));
        var managedId = Id(await ReadAsync(managed, HttpStatusCode.Created));

        using var byRequester = await PostAsync(alice, "/api/v1/adoptions", JsonBody(Body(distribution)));
        var notFound = await ProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody(Body("ENOSUCHDIST1"))), HttpStatusCode.NotFound, "not-found");
        var notAlias = await ProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody(Body(distribution, host: "blog.example.com"))), HttpStatusCode.Conflict, "condition-not-met");
        var notS3 = await ProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody(Body(custom, host: "app.example.com"))), HttpStatusCode.Conflict, "condition-not-met");
        var already = await ProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody(Body(distribution, host: "Managed.Example.com"))), HttpStatusCode.Conflict, "conflict");
        var badId = await FieldProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody(Body("E1/../x"))), "distributionId");
        var badKind = await FieldProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody("{\"kind\":\"bucket\",\"domain\":\"docs.example.com\"}")), "kind");
        using (var grant = await admin.PutAsJsonAsync($"/api/v1/admin/zones/{_otherZone}/grants/everyone", new { zoneName = "example.org" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, grant.StatusCode);
        }

        var zoneRefused = await FieldProblemAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody(Body(distribution))), "hostedZoneName");

        Assert.Equal(HttpStatusCode.Forbidden, byRequester.StatusCode);
        Assert.Equal("There is no CloudFront distribution ENOSUCHDIST1 in the portal's AWS account. Check the id in the CloudFront console.", notFound.GetProperty("detail").GetString());
        Assert.Equal($"blog.example.com is not an alternate domain name (alias) of distribution {distribution}; its aliases are {Host}. Check the distribution id, or the site's domain name.",
            notAlias.GetProperty("detail").GetString());
        Assert.StartsWith($"The origin of distribution {custom} is origin.example.net, not an S3 bucket.", notS3.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal($"managed.example.com is already managed by the portal: request {managedId} is a draft. Nothing was adopted.", already.GetProperty("detail").GetString());
        Assert.StartsWith("'E1/../X' is not a CloudFront distribution id", badId.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("kind is mtasts (an MTA-STS domain, the default) or site (a site on CloudFront and S3).", badKind.GetProperty("detail").GetString());
        Assert.StartsWith("The hosted zone example.com", zoneRefused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = await _api.Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.Equal([managedId], await db.Requests.Select(r => r.Id).ToListAsync());
        Assert.False(await db.HealthTargets.AnyAsync(t => t.Name == Host));
    }

    private string Body(string distributionId, string host = Host, string? team = null) => JsonSerializer.Serialize(new
    {
        kind = "site",
        domain = host,
        distributionId,
        ownerId = _aliceId,
        ownerName = "Alice Requester",
        teamId = team,
        hostedZoneId = _zone,
        hostedZoneName = "example.com",
    });
}
