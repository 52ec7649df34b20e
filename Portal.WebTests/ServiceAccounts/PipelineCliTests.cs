using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Cli;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Api;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ServiceAccounts;

/// <summary>
/// What a pipeline does with portal-cli and a service account's id and secret in its environment: it creates and
/// submits a site, uploads the content once the portal has deployed it to testing, and is refused (exit code 4, the
/// portal's 403 and its reason) when it tries to approve its own request. <c>login</c> with the options stores a token
/// the next commands use without the secret.
/// </summary>
public sealed class PipelineCliTests(PipelineCliTests.Portal fixture) : IClassFixture<PipelineCliTests.Portal>
{
    public sealed class Portal : IAsyncLifetime
    {
        public LoopbackAws Aws { get; private set; } = null!;

        public ApiPortal Api { get; private set; } = null!;

        public string Zone { get; private set; } = "";

        public string Data { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Aws = await LoopbackAws.StartAsync(timings: new LifecycleTimings { ResourceStep = TimeSpan.FromMilliseconds(20) });
            Zone = Aws.Route53.AddZone("example.com");
            Data = Directory.CreateTempSubdirectory("portal-pipeline-cli-").FullName;
            var settings = PortalAwsSettings.For(Aws, Data, withCredentials: true);
            settings["Content:StagingDirectory"] = Path.Combine(Data, "staging");
            Api = new ApiPortal { Settings = settings, DataDirectory = Data };
            await Api.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Api.DisposeAsync();
            await Aws.DisposeAsync();
            try
            {
                Directory.Delete(Data, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the OS cleans temp folders.
            }
        }
    }

    [Fact]
    public async Task A_pipeline_creates_submits_uploads_and_is_refused_approval()
    {
        var account = await ServiceAccountFixture.CreateAsync(fixture.Api, "Website release pipeline");
        var work = Directory.CreateTempSubdirectory("pipeline-").FullName;
        var environment = new Dictionary<string, string?>
        {
            [CliEnvironment.UrlVariable] = fixture.Api.Portal.BaseAddress.ToString(),
            [CliEnvironment.ClientIdVariable] = account.ClientId,
            [CliEnvironment.ClientSecretVariable] = account.Secret,
            [CliEnvironment.ConfigVariable] = Path.Combine(work, "config"),
        };

        var specFile = Path.Combine(work, "site.json");
        await File.WriteAllTextAsync(specFile, RequestSpecJson.Serialize(TestSpecs.Site("pipeline.example.com") with { RedirectFrom = [], HostedZoneId = fixture.Zone }));
        var created = await RunAsync(environment, "requests", "create", "--file", specFile, "--submit", "--output", "json");
        Assert.True(created.Code == ExitCodes.Success, created.Error);
        using var createdJson = JsonDocument.Parse(created.Out);
        var id = createdJson.RootElement.GetProperty("id").GetGuid();
        Assert.Equal("submitted", createdJson.RootElement.GetProperty("state").GetString());
        Assert.Equal(account.ClientId, createdJson.RootElement.GetProperty("ownerId").GetString());

        await UntilTestingReadyAsync(id);
        var zip = Path.Combine(work, "site.zip");
        WriteSite(zip);
        var uploaded = await RunAsync(environment, "content", "upload", id.ToString(), "--file", zip);
        Assert.True(uploaded.Code == ExitCodes.Success, uploaded.Error);
        Assert.StartsWith("Content version 1: 2 files,", uploaded.Out, StringComparison.Ordinal);
        Assert.Contains("uploading: 100%", uploaded.Error, StringComparison.Ordinal);

        var approved = await RunAsync(environment, "requests", "approve", id.ToString());
        Assert.Equal(ExitCodes.Forbidden, approved.Code);
        Assert.Contains("Only a person can decide this", approved.Error, StringComparison.Ordinal);
        Assert.Contains("a service account can never approve, reject or decommission", approved.Error, StringComparison.Ordinal);
        Assert.Equal(RequestState.TestingReady, (await Requests().GetAsync(id))!.State);

        // Signed in once with the options, later commands need no secret in the environment.
        var withoutSecret = new Dictionary<string, string?>(environment) { [CliEnvironment.ClientIdVariable] = null, [CliEnvironment.ClientSecretVariable] = null };
        var login = await RunAsync(withoutSecret, "login", "--client-id", account.ClientId, "--client-secret", account.Secret);
        Assert.True(login.Code == ExitCodes.Success, login.Error);
        Assert.StartsWith("Signed in to", login.Out, StringComparison.Ordinal);
        var listed = await RunAsync(withoutSecret, "requests", "list", "--mine");
        Assert.True(listed.Code == ExitCodes.Success, listed.Error);
        Assert.Contains($"{id}\tsite\ttesting-ready\tpipeline.example.com", listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_codes_say_what_went_wrong()
    {
        var work = Directory.CreateTempSubdirectory("pipeline-codes-").FullName;
        var nobody = new Dictionary<string, string?>
        {
            [CliEnvironment.UrlVariable] = fixture.Api.Portal.BaseAddress.ToString(),
            [CliEnvironment.ConfigVariable] = Path.Combine(work, "config"),
        };

        Assert.Equal(ExitCodes.NotSignedIn, (await RunAsync(nobody, "requests", "list")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync(nobody, "requests", "show", "not-a-guid")).Code);

        var badSecret = new Dictionary<string, string?>(nobody) { [CliEnvironment.ClientIdVariable] = "svc-nobody", [CliEnvironment.ClientSecretVariable] = "wrong" };
        var refused = await RunAsync(badSecret, "requests", "list");
        Assert.Equal(ExitCodes.NotSignedIn, refused.Code);
        Assert.Contains("The portal refused the service account svc-nobody", refused.Error, StringComparison.Ordinal);

        var account = await ServiceAccountFixture.CreateAsync(fixture.Api, "Exit code pipeline");
        var signedIn = new Dictionary<string, string?>(nobody) { [CliEnvironment.ClientIdVariable] = account.ClientId, [CliEnvironment.ClientSecretVariable] = account.Secret };
        Assert.Equal(ExitCodes.NotFound, (await RunAsync(signedIn, "requests", "show", Guid.NewGuid().ToString())).Code);
        var bad = Path.Combine(work, "bad.json");
        await File.WriteAllTextAsync(bad, "{\"kind\":\"site\"}");
        var invalid = await RunAsync(signedIn, "requests", "create", "--file", bad, "--output", "json");
        Assert.Equal(ExitCodes.Refused, invalid.Code);
        Assert.Equal(400, JsonDocument.Parse(invalid.Out).RootElement.GetProperty("status").GetInt32());
    }

    private RequestService Requests() => fixture.Api.Portal.Services.GetRequiredService<RequestService>();

    private async Task UntilTestingReadyAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while ((await Requests().GetAsync(id))!.State != RequestState.TestingReady)
        {
            Assert.True(DateTime.UtcNow < deadline, "the portal did not deploy the site to testing in time: " + string.Join(" | ", fixture.Aws.Violations));
            await Task.Delay(100);
        }
    }

    private static void WriteSite(string path)
    {
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, text) in new[] { ("index.html", "<!DOCTYPE html><title>Pipeline</title><p>from the pipeline"), ("app.css", "p { color: green }") })
        {
            using var writer = new StreamWriter(archive.CreateEntry(name).Open(), Encoding.UTF8);
            writer.Write(text);
        }
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var cli = new CliEnvironment(name => environment.GetValueOrDefault(name), output, error, TimeProvider.System);
        var code = await PortalCliApp.RunAsync(args, cli);
        return (code, output.ToString(), error.ToString());
    }
}
