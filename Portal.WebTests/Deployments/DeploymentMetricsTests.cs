using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>
/// <c>portal.deployments</c> counts each deployment run once when it ends, tagged with its environment and outcome:
/// stacks that fail, stacks that succeed, and production's content copy succeeding or failing. Passes run after
/// the end do not count it again.
/// </summary>
public sealed class DeploymentMetricsTests : IDisposable
{
    private const string Counter = "portal.deployments";
    private readonly MetricRecorder _recorder = new();

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task A_site_taken_live_counts_one_succeeded_testing_and_one_succeeded_production_deployment()
    {
        await using var h = await EngineHarness.StartAsync(metrics: _recorder.Metrics);
        var id = await h.SubmitAsync(TestSpecs.Site());
        await h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var uploaded = await h.Content.PublishAsync(id, new MemoryStream(TestZips.Site(("index.html", "<p>hello</p>"))), TestActors.Alice, Portal.Core.Content.ContentSource.Upload);
        Assert.True(uploaded.Succeeded, uploaded.Problem?.Message);
        await h.PromoteAsync(id);
        await h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        await RunPassesAsync(h, 5);

        Assert.Equal(RequestState.Live, (await h.RequestAsync(id)).State);
        Assert.Equal(["production/succeeded", "testing/succeeded"], Counted());
        Assert.All(_recorder.Of(Counter), m => Assert.Equal(1, m.Value));
    }

    [Fact]
    public async Task A_failed_stack_counts_one_failed_deployment_and_its_retry_one_succeeded()
    {
        await using var h = await EngineHarness.StartAsync(metrics: _recorder.Metrics);
        var site = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        h.Aws.CloudFormation.FailResource(site, "Certificate", "Resource handler returned message: \"DNS validation timed out\"");
        var id = await h.SubmitAsync(TestSpecs.Site());
        await h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        await RunPassesAsync(h, 5);
        var afterFailure = Counted();

        h.Aws.CloudFormation.ClearFailures();
        Assert.True((await h.Requests.ApplyAsync(id, WorkflowAction.Retry, TestActors.Dana)).Succeeded);
        await h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);

        Assert.Equal(["testing/failed"], afterFailure);
        Assert.Equal(["testing/failed", "testing/succeeded"], Counted());
    }

    [Fact]
    public async Task A_content_copy_whose_files_are_gone_counts_one_failed_production_deployment()
    {
        await using var site = await SiteInTesting.StartAsync(configure: null, metrics: _recorder.Metrics);
        await site.PublishAsync(TestZips.Site(("index.html", "approved"), ("keep.css", "k")));
        await site.H.PromoteAsync(site.Id);
        await site.PublishAsync(TestZips.Site(("index.html", "newer"), ("keep.css", "k")));

        // As a bucket whose lifecycle keeps no replaced versions by count (a stack made before sites chose a retention).
        site.H.Aws.S3.SetNewerNoncurrentVersions(site.Bucket, null);
        site.H.Aws.S3.ExpireNoncurrent(site.Bucket);

        await site.H.RunUntilStateAsync(site.Id, RequestState.Live, RequestState.ProductionFailed);
        await RunPassesAsync(site.H, 5);

        Assert.Equal(RequestState.ProductionFailed, (await site.H.RequestAsync(site.Id)).State);
        Assert.Equal(["production/failed", "testing/succeeded"], Counted());
    }

    private List<string> Counted() =>
        [.. _recorder.Of(Counter).SelectMany(m => Enumerable.Repeat($"{m.Tag("environment")}/{m.Tag("outcome")}", (int)m.Value)).Order(StringComparer.Ordinal)];

    private static async Task RunPassesAsync(EngineHarness h, int passes)
    {
        for (var i = 0; i < passes; i++)
        {
            await h.Engine.RunOnceAsync();
        }
    }
}
