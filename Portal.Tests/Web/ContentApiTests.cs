using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Content;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>
/// The content API of the whole portal (its own background deployment, configuration and endpoints) against the
/// loopback AWS endpoint: uploads answer 201, every refusal is an RFC 9457 problem document.
/// </summary>
public sealed class ContentApiTests(ContentApiTests.PortalWithSite fixture) : IClassFixture<ContentApiTests.PortalWithSite>
{
    private const long MaxUpload = 64 * 1024;

    /// <summary>A portal that deployed one site to testing by itself.</summary>
    public sealed class PortalWithSite : IAsyncLifetime
    {
        private PortalFactory? _portal;

        public LoopbackAws Aws { get; private set; } = null!;

        public WebApplicationFactory<Program> Portal { get; private set; } = null!;

        public Guid SiteId { get; private set; }

        public async Task InitializeAsync()
        {
            Aws = await LoopbackAws.StartAsync(timings: new LifecycleTimings { ResourceStep = TimeSpan.FromMilliseconds(20) });
            Aws.S3.CreateBucket(EngineHarness.Settings.ContentBucketName);
            var data = Directory.CreateTempSubdirectory("portal-content-api-").FullName;
            var settings = PortalAwsSettings.For(Aws, data, withCredentials: true);
            settings["Content:MaxUploadBytes"] = MaxUpload.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Content:StagingDirectory"] = Path.Combine(data, "staging");
            _portal = new PortalFactory(settings);
            Portal = _portal.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
                s.AddAuthentication(TestAuthentication.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthentication>(TestAuthentication.SchemeName, null)));
            var requests = Portal.Services.GetRequiredService<RequestService>();
            var created = await requests.CreateAsync(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [] }, TestActors.Alice, submit: true);
            Assert.True(created.Succeeded, created.Message);
            SiteId = created.RequestId;
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await requests.GetAsync(SiteId))!.State != RequestState.TestingReady)
            {
                Assert.True(DateTime.UtcNow < deadline, "the portal did not deploy the site to testing in time: " + string.Join(" | ", Aws.Violations));
                await Task.Delay(100);
            }
        }

        public async Task DisposeAsync()
        {
            await Portal.DisposeAsync();
            await _portal!.DisposeAsync();
            await Aws.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_upload_answers_201_with_the_version_and_publishes_to_testing()
    {
        using var response = await PostAsync(fixture.SiteId, TestZips.Site(("index.html", "<h1>via API</h1>"), ("api.css", "b{}")), "alice");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var version = body.RootElement.GetProperty("version");
        Assert.Equal("api", version.GetProperty("source").GetString());
        Assert.Equal(2, version.GetProperty("fileCount").GetInt32());
        Assert.EndsWith($"/api/v1/sites/{fixture.SiteId}/content/{version.GetProperty("id").GetString()}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("<h1>via API</h1>", fixture.Aws.S3.Objects(EngineHarness.Settings.ContentBucketName, SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"]);

        using var client = Client("alice");
        using var list = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/sites/{fixture.SiteId}/content"));
        var number = version.GetProperty("number").GetInt32();
        Assert.Contains(list.RootElement.GetProperty("versions").EnumerateArray(), v => v.GetProperty("number").GetInt32() == number);
        Assert.True(list.RootElement.GetProperty("testing").GetInt32() >= number);
    }

    [Fact]
    public async Task A_hostile_archive_is_a_422_problem_naming_the_entry_and_the_reason()
    {
        using var response = await PostAsync(fixture.SiteId, TestZips.Of(ZipItem.Text("index.html", "x"), ZipItem.Text("../../escape.html", "x")), "alice");

        var problem = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Archive refused", problem.GetProperty("title").GetString());
        Assert.Equal("'../../escape.html' climbs out of the site's folder with '..'.", problem.GetProperty("detail").GetString());
        Assert.Equal("unsafe-path", problem.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_upload_larger_than_the_limit_is_a_413_problem_before_the_body_is_read()
    {
        using var response = await PostAsync(fixture.SiteId, new byte[MaxUpload + 1], "alice");

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("The upload is 65,537 bytes; the limit is 64 KiB.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "Uploading content needs a signed-in person.")]
    [InlineData("rita", HttpStatusCode.Forbidden, "Only the person who made this request, or an admin, can upload its content.")]
    [InlineData("bob", HttpStatusCode.Forbidden, "Uploading content needs the Requester role.")]
    public async Task Who_may_not_upload_gets_a_problem_saying_why(string? person, HttpStatusCode status, string detail)
    {
        using var response = await PostAsync(fixture.SiteId, TestZips.Site(("index.html", "x")), person);

        Assert.Equal(detail, (await ProblemAsync(response, status)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_site_is_a_404_problem()
    {
        using var response = await PostAsync(Guid.NewGuid(), TestZips.Site(("index.html", "x")), "alice");

        Assert.Equal("No such site.", (await ProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("detail").GetString());
    }

    private HttpClient Client(string? person)
    {
        var client = fixture.Portal.CreateClient();
        if (person is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthentication.Header, person);
        }

        return client;
    }

    private async Task<HttpResponseMessage> PostAsync(Guid site, byte[] zip, string? person)
    {
        using var client = Client(person);
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return await client.PostAsync($"/api/v1/sites/{site}/content", content);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, document.RootElement.GetProperty("status").GetInt32());
        return document.RootElement.Clone();
    }
}
