using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Content;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// The content API of the whole portal on loopback (built-in sign-in, bearer tokens, its own deployment worker) against
/// the loopback AWS endpoint: an upload answers 201 with the version, every refusal is an RFC 9457 problem document.
/// </summary>
public sealed class ApiContentTests(ApiContentTests.PortalWithSite fixture) : IClassFixture<ApiContentTests.PortalWithSite>
{
    private const long MaxUpload = 64 * 1024;

    /// <summary>A portal that deployed one site (owned by Alice) to testing by itself.</summary>
    public sealed class PortalWithSite : IAsyncLifetime
    {
        public LoopbackAws Aws { get; private set; } = null!;

        public ApiPortal Api { get; private set; } = null!;

        public Guid SiteId { get; private set; }

        private string _data = "";

        public async Task InitializeAsync()
        {
            Aws = await LoopbackAws.StartAsync(timings: new LifecycleTimings { ResourceStep = TimeSpan.FromMilliseconds(20) });
            var zone = Aws.Route53.AddZone("example.com");
            _data = Directory.CreateTempSubdirectory("portal-api-content-").FullName;
            var settings = PortalAwsSettings.For(Aws, _data, withCredentials: true);
            settings["Content:MaxUploadBytes"] = MaxUpload.ToString(CultureInfo.InvariantCulture);
            settings["Content:StagingDirectory"] = Path.Combine(_data, "staging");
            Api = new ApiPortal { Settings = settings, DataDirectory = _data };
            await Api.InitializeAsync();
            await Api.UserAsync("alice@example.test", "Alice Requester", PortalRole.Requester);
            await Api.UserAsync("rita@example.test", "Rita Requester", PortalRole.Requester);
            await Api.UserAsync("bob@example.test", "Bob Approver", PortalRole.Approver);

            using var alice = Api.Client(await Api.CachedTokenAsync("alice@example.test"));
            var created = await ReadAsync(
                await PostAsync(alice, "/api/v1/requests?submit=true", JsonBody(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], HostedZoneId = zone })),
                HttpStatusCode.Created);
            SiteId = Id(created);
            var requests = Api.Portal.Services.GetRequiredService<RequestService>();
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while ((await requests.GetAsync(SiteId))!.State != RequestState.TestingReady)
            {
                Assert.True(DateTime.UtcNow < deadline, "the portal did not deploy the site to testing in time: " + string.Join(" | ", Aws.Violations));
                await Task.Delay(100);
            }
        }

        public async Task DisposeAsync()
        {
            await Api.DisposeAsync();
            await Aws.DisposeAsync();
            try
            {
                Directory.Delete(_data, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the OS cleans temp folders.
            }
        }
    }

    [Fact]
    public async Task An_upload_answers_201_with_the_version_and_publishes_to_testing()
    {
        using var response = await UploadAsync(fixture.SiteId, TestZips.Site(("index.html", "<h1>via API</h1>"), ("api.css", "b{}")), "alice@example.test");

        var body = await ReadAsync(response, HttpStatusCode.Created);
        var version = body.GetProperty("version");
        Assert.Equal("api", version.GetProperty("source").GetString());
        Assert.Equal(2, version.GetProperty("fileCount").GetInt32());
        var location = response.Headers.Location!.ToString();
        Assert.Equal($"/api/v1/sites/{fixture.SiteId}/content/{version.GetProperty("id").GetString()}", location);
        Assert.Equal("<h1>via API</h1>", fixture.Aws.S3.Objects(fixture.Aws.S3.BucketStartingWith(StackNaming.Site("portal", DeploymentEnvironment.Testing, SiteInTesting.Host) + "-"), SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"]);

        using var client = fixture.Api.Client(await fixture.Api.CachedTokenAsync("alice@example.test"));
        var files = await ReadAsync(await client.GetAsync(location), HttpStatusCode.OK);
        Assert.Equal(["api.css", "index.html"], files.EnumerateArray().Select(f => f.GetProperty("path").GetString()));
        var list = await ReadAsync(await client.GetAsync($"/api/v1/sites/{fixture.SiteId}/content"), HttpStatusCode.OK);
        var number = version.GetProperty("number").GetInt32();
        Assert.Contains(list.GetProperty("versions").EnumerateArray(), v => v.GetProperty("number").GetInt32() == number);
        Assert.True(list.GetProperty("testing").GetInt32() >= number);
    }

    [Fact]
    public async Task A_hostile_archive_is_a_422_problem_naming_the_entry_and_the_reason()
    {
        using var response = await UploadAsync(fixture.SiteId, TestZips.Of(ZipItem.Text("index.html", "x"), ZipItem.Text("../../escape.html", "x")), "alice@example.test");

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "archive-refused");
        Assert.Equal("'../../escape.html' climbs out of the site's folder with '..'.", problem.GetProperty("detail").GetString());
        Assert.Equal("unsafe-path", problem.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_upload_larger_than_the_limit_is_a_413_problem_before_the_body_is_read()
    {
        using var response = await UploadAsync(fixture.SiteId, new byte[MaxUpload + 1], "alice@example.test");

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "archive-refused");
        Assert.Equal("The upload is 65,537 bytes; the limit is 64 KiB.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("rita@example.test", "not-owner", "Only the person who made this request, or an admin, can upload its content.")]
    [InlineData("bob@example.test", "role-required", "Uploading content needs the Requester role.")]
    public async Task Who_may_not_upload_gets_a_403_problem_saying_why(string person, string code, string detail)
    {
        using var response = await UploadAsync(fixture.SiteId, TestZips.Site(("index.html", "x")), person);

        Assert.Equal(detail, (await ProblemAsync(response, HttpStatusCode.Forbidden, code)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Without_a_bearer_token_the_upload_is_refused_before_anything_is_read()
    {
        using var response = await UploadAsync(fixture.SiteId, TestZips.Site(("index.html", "x")), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_site_is_a_404_problem()
    {
        using var response = await UploadAsync(Guid.NewGuid(), TestZips.Site(("index.html", "x")), "alice@example.test");

        Assert.Equal("No such site.", (await ProblemAsync(response, HttpStatusCode.NotFound, "not-found")).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_openapi_document_lists_the_content_operations()
    {
        using var client = fixture.Api.Client(await fixture.Api.CachedTokenAsync("alice@example.test"));
        var document = await ReadAsync(await client.GetAsync("/api/v1/openapi.json"), HttpStatusCode.OK);

        var operations = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).ToHashSet();
        Assert.Subset(operations, new HashSet<string>
        {
            "POST /api/v1/sites/{id}/content",
            "POST /api/v1/sites/{id}/content/record",
            "GET /api/v1/sites/{id}/content",
            "GET /api/v1/sites/{id}/content/approval",
            "GET /api/v1/sites/{id}/content/{version}",
            "GET /api/v1/requests/{id}/content-versions",
            "POST /api/v1/requests/{id}/content-versions/{number}/restore",
            "POST /api/v1/requests/{id}/revisions/{number}/restore",
        });
    }

    [Fact]
    public async Task The_versions_say_which_can_be_restored_and_a_restore_makes_an_earlier_one_testings_content_again()
    {
        var older = (await ReadAsync(await UploadAsync(fixture.SiteId, TestZips.Site(("index.html", "api old")), "alice@example.test"), HttpStatusCode.Created)).GetProperty("version").GetProperty("number").GetInt32();
        var newer = (await ReadAsync(await UploadAsync(fixture.SiteId, TestZips.Site(("index.html", "api new")), "alice@example.test"), HttpStatusCode.Created)).GetProperty("version").GetProperty("number").GetInt32();
        using var alice = fixture.Api.Client(await fixture.Api.CachedTokenAsync("alice@example.test"));

        var list = (await ReadAsync(await alice.GetAsync($"/api/v1/requests/{fixture.SiteId}/content-versions"), HttpStatusCode.OK)).EnumerateArray()
            .ToDictionary(v => v.GetProperty("version").GetProperty("number").GetInt32());
        Assert.Equal((true, false), (list[older].GetProperty("restorable").GetBoolean(), list[older].GetProperty("expired").GetBoolean()));
        Assert.Equal(("Testing holds this version now.", false), (list[newer].GetProperty("reason").GetString(), list[newer].GetProperty("restorable").GetBoolean()));

        using var rita = fixture.Api.Client(await fixture.Api.CachedTokenAsync("rita@example.test"));
        await ProblemAsync(await PostAsync(rita, $"/api/v1/requests/{fixture.SiteId}/content-versions/{older}/restore"), HttpStatusCode.Forbidden, "not-owner");
        await ProblemAsync(await PostAsync(alice, $"/api/v1/requests/{fixture.SiteId}/content-versions/999/restore"), HttpStatusCode.NotFound, "not-found");
        var restored = (await ReadAsync(await PostAsync(alice, $"/api/v1/requests/{fixture.SiteId}/content-versions/{older}/restore"), HttpStatusCode.Created)).GetProperty("version");

        Assert.Equal(("restored", older), (restored.GetProperty("source").GetString(), restored.GetProperty("restoredFrom").GetInt32()));
        Assert.Equal("api old", fixture.Aws.S3.Objects(fixture.Aws.S3.BucketStartingWith(StackNaming.Site("portal", DeploymentEnvironment.Testing, SiteInTesting.Host) + "-"), SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"]);
    }

    [Fact]
    public async Task Restoring_a_revision_the_request_never_had_is_a_404_problem()
    {
        using var alice = fixture.Api.Client(await fixture.Api.CachedTokenAsync("alice@example.test"));

        var problem = await ProblemAsync(await PostAsync(alice, $"/api/v1/requests/{fixture.SiteId}/revisions/99/restore"), HttpStatusCode.NotFound, "not-found");

        Assert.Equal("This request has no revision 99.", problem.GetProperty("detail").GetString());
    }

    private async Task<HttpResponseMessage> UploadAsync(Guid site, byte[] zip, string? person)
    {
        using var client = fixture.Api.Client(person is null ? null : await fixture.Api.CachedTokenAsync(person));
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return await client.PostAsync(new Uri($"/api/v1/sites/{site}/content", UriKind.Relative), content);
    }
}
