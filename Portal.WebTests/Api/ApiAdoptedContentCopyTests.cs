using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Edge;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// <c>POST /api/v1/requests/{id}/content/adopted-copy</c> against the local cloud: a site adopted from its own bucket and
/// distribution, revised so the portal's stack is deployed to testing, has the old bucket's objects copied server-side
/// into the portal's testing bucket, served by the testing distribution and listed as a version adopted from that
/// bucket. What cannot be copied (the 404 page missing, the bucket gone, a person who may not upload) is refused with
/// nothing copied or recorded.
/// </summary>
public sealed class ApiAdoptedContentCopyTests : IAsyncLifetime
{
    private const string Host = "docs.example.com";
    private const string Bucket = "old-docs-site";

    private LoopbackAws _aws = null!;
    private ApiPortal _api = null!;
    private string _data = "";
    private string _zone = "";
    private string _aliceId = "";

    public async Task InitializeAsync()
    {
        _aws = await LoopbackAws.StartAsync(timings: new LifecycleTimings { ResourceStep = TimeSpan.FromMilliseconds(20), ChangeSetCreation = TimeSpan.FromMilliseconds(20) });
        _zone = _aws.Route53.AddZone("example.com");
        _data = Directory.CreateTempSubdirectory("portal-api-adopted-copy-").FullName;
        _api = new ApiPortal { Settings = PortalAwsSettings.For(_aws, _data, withCredentials: true), DataDirectory = _data };
        await _api.InitializeAsync();
        await _api.UserAsync("ada@example.test", "Ada Admin", PortalRole.Admin);
        _aliceId = await _api.UserAsync("alice@example.test", "Alice Requester", PortalRole.Requester);
        await _api.UserAsync("bob@example.test", "Bob Requester", PortalRole.Requester);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _aws.DisposeAsync();
        TestDirectories.Delete(_data);
    }

    [Fact]
    public async Task The_adopted_buckets_objects_are_copied_into_testing_served_there_and_listed_as_adopted_content()
    {
        var distribution = await ExistingSites.DeployAsync(_aws.CloudFormation, "old-docs", Host, _zone, Bucket);
        _aws.S3.Put(Bucket, "index.html", "<h1>old docs</h1>", "text/html");
        _aws.S3.Put(Bucket, "404.html", "<h1>not here</h1>", "text/html");
        _aws.S3.Put(Bucket, "guide/intro.html", "<p>intro</p>", "text/html");
        using var alice = _api.Client(await _api.TokenAsync("alice@example.test"));
        var id = await AdoptAndDeployTestingAsync(alice, distribution);
        var bucket = TestingBucket(id);

        var copied = await ReadAsync(await PostAsync(alice, $"/api/v1/requests/{id}/content/adopted-copy"), HttpStatusCode.Created);

        var version = copied.GetProperty("version");
        Assert.Equal((1, "adopted", Bucket, 3), (version.GetProperty("number").GetInt32(), version.GetProperty("source").GetString(),
            version.GetProperty("adoptedFrom").GetString(), version.GetProperty("fileCount").GetInt32()));
        Assert.Equal($"content version 1 (adopted from bucket {Bucket})", version.GetProperty("label").GetString());
        var prefix = $"testing/{Host}/";
        Assert.Equal(new Dictionary<string, string>
        {
            [prefix + "404.html"] = "<h1>not here</h1>", [prefix + "guide/intro.html"] = "<p>intro</p>", [prefix + "index.html"] = "<h1>old docs</h1>",
        }, _aws.S3.Objects(bucket, prefix));
        Assert.Equal(1, _aws.S3.Copies[prefix + "guide/intro.html"]);
        Assert.Equal("<p>intro</p>", Text(Testing("/guide/intro.html")));
        Assert.Equal("<h1>old docs</h1>", Text(Testing("/")));

        var listed = await ReadAsync(await alice.GetAsync($"/api/v1/requests/{id}/content-versions"), HttpStatusCode.OK);
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("adopted", Bucket, true), (entry.GetProperty("version").GetProperty("source").GetString(),
            entry.GetProperty("version").GetProperty("adoptedFrom").GetString(), entry.GetProperty("liveInTesting").GetBoolean()));
        await using var db = await _api.Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var audit = await db.AuditEvents.SingleAsync(e => e.RequestId == id && e.Action == "CopyAdoptedContent");
        Assert.StartsWith($"Content version 1 copied to testing from the adopted bucket {Bucket}: 3 files", audit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_cannot_be_copied_is_refused_and_nothing_is_copied_or_recorded()
    {
        var distribution = await ExistingSites.DeployAsync(_aws.CloudFormation, "old-docs", Host, _zone, Bucket);
        _aws.S3.Put(Bucket, "index.html", "<h1>old docs</h1>", "text/html");
        using var alice = _api.Client(await _api.TokenAsync("alice@example.test"));
        using var bob = _api.Client(await _api.TokenAsync("bob@example.test"));
        var id = await AdoptAndDeployTestingAsync(alice, distribution);
        var bucket = TestingBucket(id);

        var noPage = await ProblemAsync(await PostAsync(alice, $"/api/v1/requests/{id}/content/adopted-copy"), HttpStatusCode.UnprocessableEntity, "archive-refused");
        _aws.S3.Put(Bucket, "404.html", "<h1>not here</h1>", "text/html");
        using var byOther = await PostAsync(bob, $"/api/v1/requests/{id}/content/adopted-copy");
        _aws.S3.RemoveBucket(Bucket);
        var gone = await ProblemAsync(await PostAsync(alice, $"/api/v1/requests/{id}/content/adopted-copy"), HttpStatusCode.Conflict, "condition-not-met");

        Assert.Equal("missing-error-page", noPage.GetProperty("reason").GetString());
        Assert.Equal($"The adopted bucket {Bucket} has no /404.html, the site's 404 page; nothing was copied. Upload content with it instead (paths are case-sensitive), "
            + "or change the 404 page in a new revision first.", noPage.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byOther.StatusCode);
        Assert.Equal($"The adopted bucket {Bucket} no longer exists (S3 said NoSuchBucket); nothing was copied. Upload the site's content instead.",
            gone.GetProperty("detail").GetString());
        Assert.Empty(_aws.S3.Objects(bucket, $"testing/{Host}/"));
        await using var db = await _api.Portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        Assert.False(await db.ContentVersions.AnyAsync(v => v.RequestId == id));
    }

    [Fact]
    public async Task A_site_that_was_not_adopted_has_no_adopted_content_to_copy()
    {
        using var alice = _api.Client(await _api.TokenAsync("alice@example.test"));
        var created = await ReadAsync(await PostAsync(alice, "/api/v1/requests", JsonBody(TestSpecs.Site("new.example.com") with { HostedZoneId = _zone, RedirectFrom = [] })),
            HttpStatusCode.Created);
        var id = Id(created);
        await ReadAsync(await ActAsync(alice, id, "submit"), HttpStatusCode.OK);
        await WaitForTestingAsync(id);

        var refused = await ProblemAsync(await PostAsync(alice, $"/api/v1/requests/{id}/content/adopted-copy"), HttpStatusCode.Conflict, "condition-not-met");

        Assert.Equal("This site was not adopted from an existing bucket, so there is no adopted content to copy; upload its content instead.",
            refused.GetProperty("detail").GetString());
    }

    /// <summary>An admin adopts the site (owner Alice); Alice's revision deploys the portal's own stack to testing.</summary>
    private async Task<Guid> AdoptAndDeployTestingAsync(HttpClient alice, string distribution)
    {
        using var admin = _api.Client(await _api.TokenAsync("ada@example.test"));
        var adopted = await ReadAsync(await PostAsync(admin, "/api/v1/adoptions", JsonBody(JsonSerializer.Serialize(new
        {
            kind = "site", domain = Host, distributionId = distribution, ownerId = _aliceId, ownerName = "Alice Requester", hostedZoneId = _zone, hostedZoneName = "example.com",
        }))), HttpStatusCode.Created);
        var id = adopted.GetProperty("requestId").GetGuid();
        var revision = TestSpecs.Site(Host) with { HostedZoneId = _zone, RedirectFrom = [], NotFoundPage = "/404.html" };
        await ReadAsync(await PostAsync(alice, $"/api/v1/requests/{id}/revisions", JsonBody(revision)), HttpStatusCode.OK);
        await WaitForTestingAsync(id);
        return id;
    }

    private async Task WaitForTestingAsync(Guid id)
    {
        var requests = _api.Portal.Services.GetRequiredService<RequestService>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await requests.GetAsync(id))!.State != RequestState.TestingReady)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the site did not reach testing ({(await requests.GetAsync(id))!.State}): " + string.Join(" | ", _aws.Violations));
            await Task.Delay(100);
        }
    }

    /// <summary>The content bucket the portal's testing stack for the site made (its stack output).</summary>
    private string TestingBucket(Guid id)
    {
        using var scope = _api.Portal.Services.CreateScope();
        using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var outputs = db.Stacks.AsNoTracking().Single(s => s.RequestId == id && s.Kind == StackKind.Site && s.Environment == DeploymentEnvironment.Testing && !s.Deleted).OutputsJson;
        return JsonSerializer.Deserialize<Dictionary<string, string>>(outputs!)!["ContentBucketName"];
    }

    /// <summary>What the testing distribution answers for a path, through the local cloud's edge.</summary>
    private EdgeResponse Testing(string path)
    {
        var edge = new EdgeRequestHandler(_aws.Endpoint.Resources, _aws.S3, new CloudFrontFunctionRuntime(TimeSpan.FromSeconds(5)), () => 8443);
        var host = ServedNames.Testing(Host);
        return edge.Handle(new EdgeRequest(true, host, "GET", path, "", [new("Host", host)], "198.51.100.11"));
    }

    private static string Text(EdgeResponse response) => Encoding.UTF8.GetString(response.Body);
}
