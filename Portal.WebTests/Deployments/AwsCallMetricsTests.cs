using Portal.Infrastructure.Aws;
using Portal.Tests.Aws;
using Portal.Core.Workflow;
using Portal.Tests.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>
/// <c>portal.aws.calls</c> counts every AWS call the portal makes, through its own clients (CloudFormation, CloudFront,
/// Route 53) and through the S3 content store, under the API's operation name: a site taken live counts exactly the
/// calls the loopback AWS endpoint received, operation by operation.
/// </summary>
public sealed class AwsCallMetricsTests : IDisposable
{
    private readonly MetricRecorder _recorder = new();

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task A_site_taken_live_counts_each_call_the_endpoint_received_by_service_and_operation()
    {
        await using var h = await EngineHarness.StartAsync(metrics: _recorder.Metrics);

        // Counted once per call, the endpoint sees every attempt: patient clients, so that a slow answer on a busy
        // machine is waited for rather than tried again.
        h.NewEngine(AwsTestClients.FastRetries with { AttemptTimeout = TimeSpan.FromSeconds(60) });
        var id = await h.SubmitAsync(TestSpecs.Site());
        await h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var uploaded = await h.Content.PublishAsync(
            id, new MemoryStream(TestZips.Site(("index.html", "<p>hello</p>"), ("site.css", "p{}"), ("about/index.html", "<p>about</p>"))), TestActors.Alice, Portal.Core.Content.ContentSource.Upload);
        Assert.True(uploaded.Succeeded, uploaded.Problem?.Message);
        await h.PromoteAsync(id);
        await h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);

        var received = h.Aws.Calls.GroupBy(c => $"{c.Service} {c.Operation}").Select(g => $"{g.Key} {g.Count()}").Order(StringComparer.Ordinal).ToList();
        var counted = _recorder.Of("portal.aws.calls").GroupBy(m => $"{m.Tag("service")} {m.Tag("operation")}")
            .Select(g => $"{g.Key} {g.Sum(m => m.Value)}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(RequestState.Live, (await h.RequestAsync(id)).State);
        Assert.Empty(h.Aws.Violations);
        Assert.Equal(received, counted);
        Assert.Contains("s3 PutObject 3", counted);
        Assert.Contains("s3 CopyObject 3", counted);
        Assert.Contains(counted, c => c.StartsWith("cloudformation CreateChangeSet ", StringComparison.Ordinal));
        Assert.Contains(counted, c => c.StartsWith("cloudfront CreateInvalidation ", StringComparison.Ordinal));
        Assert.All(_recorder.Of("portal.aws.calls"), m => Assert.Contains(m.Tag("outcome"),
            new[] { AwsCallOutcome.Success, AwsCallOutcome.ClientError, AwsCallOutcome.Throttled, AwsCallOutcome.ServerError, AwsCallOutcome.Unreachable }));
    }
}
