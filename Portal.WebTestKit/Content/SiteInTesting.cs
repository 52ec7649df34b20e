using System.Text.Json;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>A site deployed to testing by the real engine against the loopback AWS endpoint, ready for content.</summary>
public sealed class SiteInTesting : IAsyncDisposable
{
    public const string Host = "docs.example.com";
    public const string TestingPrefix = "testing/docs.example.com/";
    public const string ProductionPrefix = "production/docs.example.com/";

    private SiteInTesting(EngineHarness harness, Guid id, string bucket)
    {
        H = harness;
        Id = id;
        Bucket = bucket;
    }

    public EngineHarness H { get; }

    public Guid Id { get; }

    /// <summary>The testing environment's own content bucket (its site stack's output).</summary>
    public string Bucket { get; }

    public static async Task<SiteInTesting> StartAsync(SiteSpec? spec = null, Action<EngineHarness>? configure = null, Portal.Core.Observability.PortalMetrics? metrics = null)
    {
        var harness = await EngineHarness.StartAsync(metrics: metrics);
        configure?.Invoke(harness);
        var id = await harness.SubmitAsync(spec ?? TestSpecs.Site(Host) with { RedirectFrom = [] });
        await harness.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var request = await harness.RequestAsync(id);
        Assert.True(request.State == RequestState.TestingReady, $"The site ended in {request.State}: {request.FailureMessage}");
        return new SiteInTesting(harness, id, await OutputAsync(harness, id, DeploymentEnvironment.Testing, "ContentBucketName"));
    }

    public Task<ContentPublishResult> UploadAsync(byte[] zip, Actor? actor = null, ContentPublisher? publisher = null) =>
        (publisher ?? H.Content).PublishAsync(Id, new MemoryStream(zip), actor ?? TestActors.Alice, ContentSource.Upload);

    /// <summary>Uploads and insists it worked.</summary>
    public async Task<ContentVersionSummary> PublishAsync(byte[] zip)
    {
        var result = await UploadAsync(zip);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Version!;
    }

    public Task<string> DistributionAsync(DeploymentEnvironment environment) => OutputAsync(H, Id, environment, "DistributionId");

    /// <summary>Production's own content bucket, once production is deployed.</summary>
    public Task<string> ProductionBucketAsync() => OutputAsync(H, Id, DeploymentEnvironment.Production, "ContentBucketName");

    private static async Task<string> OutputAsync(EngineHarness harness, Guid id, DeploymentEnvironment environment, string output)
    {
        var stacks = await harness.QueryAsync(db => db.Stacks.Where(s => s.RequestId == id && s.Kind == StackKind.Site && s.Environment == environment && !s.Deleted));
        return JsonSerializer.Deserialize<Dictionary<string, string>>(Assert.Single(stacks).OutputsJson)![output];
    }

    public ValueTask DisposeAsync() => H.DisposeAsync();
}
