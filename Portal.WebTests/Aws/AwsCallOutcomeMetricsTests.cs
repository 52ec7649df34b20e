using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Aws;

/// <summary>
/// How an AWS call ended is its <c>outcome</c> tag, counted once per call whatever its retries: an error answer is a
/// client error, a call that never got an answer is unreachable, through the portal's own clients and the S3 store alike.
/// </summary>
public sealed class AwsCallOutcomeMetricsTests : IAsyncLifetime
{
    private readonly MetricRecorder _recorder = new();
    private LoopbackAws _aws = null!;

    public async Task InitializeAsync() => _aws = await LoopbackAws.StartAsync();

    public async Task DisposeAsync()
    {
        await _aws.DisposeAsync();
        _recorder.Dispose();
    }

    [Fact]
    public async Task A_refused_call_counts_once_as_a_client_error_and_a_good_one_as_success()
    {
        using var clients = new AwsTestClients(_aws, metrics: _recorder.Metrics);
        var store = new S3ContentStore(clients.S3, _recorder.Metrics);
        _aws.S3.CreateBucket("outcome-bucket");

        await clients.CloudFormation.DescribeStacksAsync("us-east-1", new DescribeStacksRequest());
        await Assert.ThrowsAsync<AmazonServiceException>(() => clients.CloudFormation.DescribeStacksAsync("us-east-1", new DescribeStacksRequest { StackName = "no-such-stack" }));
        await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => store.DescribeAsync("outcome-bucket", "missing.html", "no-such-version", "missing.html"));

        Assert.Equal(
            ["cloudformation DescribeStacks client_error", "cloudformation DescribeStacks success", "s3 GetObject client_error"],
            Counted());
        Assert.Equal(3, _aws.Calls.Count);
    }

    [Fact]
    public async Task A_call_that_never_gets_an_answer_counts_once_as_unreachable_after_all_its_attempts()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var http = new HttpClient();
        using var credentials = new SdkCredentialSource(LoopbackAws.Credentials, null);
        var settings = AwsTestClients.FastRetries with { ServiceUrl = new Uri($"http://127.0.0.1:{port}/"), MaxAttempts = 3 };
        var pipeline = new AwsHttpPipeline(http, credentials, settings, TimeProvider.System, metrics: _recorder.Metrics);

        await Assert.ThrowsAsync<AmazonClientException>(() => new CloudFormationClient(pipeline).DescribeStacksAsync("us-east-1", new DescribeStacksRequest()));

        Assert.Equal(["cloudformation DescribeStacks unreachable"], Counted());
    }

    private List<string> Counted() =>
        [.. _recorder.Of("portal.aws.calls").SelectMany(m => Enumerable.Repeat($"{m.Tag("service")} {m.Tag("operation")} {m.Tag("outcome")}", (int)m.Value)).Order(StringComparer.Ordinal)];
}
