using Amazon.Runtime;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Infrastructure.Aws.CloudFront;
using Portal.Infrastructure.Aws.Route53;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Aws;

/// <summary>The portal's own clients against the loopback endpoint: every call signed right and valid per the botocore model, every answer read right.</summary>
public sealed class AwsClientWireTests : IAsyncLifetime
{
    private LoopbackAws _aws = null!;
    private AwsTestClients _clients = null!;

    public async Task InitializeAsync()
    {
        _aws = await LoopbackAws.StartAsync();
        _clients = new AwsTestClients(_aws);
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _aws.DisposeAsync();
    }

    [Fact]
    public async Task CloudFormation_change_set_lifecycle_create_no_changes_drift_and_delete()
    {
        _aws.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);
        var cf = _clients.CloudFormation;
        const string Region = "us-east-1";
        var created = await cf.CreateChangeSetAsync(Region, new CreateChangeSetRequest
        {
            StackName = "wire-site", ChangeSetName = "cs-1", ChangeSetType = ChangeSetType.Create, ClientToken = "token-1",
            TemplateBody = TestTemplates.Site(), Parameters = [new("SiteName", "docs.example.com")], Tags = [new("portal:request-id", "r1")],
        });
        Assert.StartsWith("arn:aws:cloudformation:us-east-1:", created.Id, StringComparison.Ordinal);

        var described = await WaitAsync(() => cf.DescribeChangeSetAsync(Region, new DescribeChangeSetRequest { ChangeSetName = "cs-1", StackName = "wire-site" }),
            d => d.Status is ChangeSetStatus.CreateComplete or ChangeSetStatus.Failed);
        Assert.Equal(ChangeSetStatus.CreateComplete, described.Status);
        Assert.Equal(4, described.Changes.Count);
        Assert.All(described.Changes, c => Assert.Equal("Add", c.Action));

        await cf.ExecuteChangeSetAsync(Region, new ExecuteChangeSetRequest { ChangeSetName = "cs-1", StackName = "wire-site", ClientRequestToken = "exec-1" });
        var stack = await WaitAsync(async () => (await cf.DescribeStacksAsync(Region, new DescribeStacksRequest { StackName = "wire-site" })).Stacks[0],
            s => !StackStatus.IsInProgress(s.StackStatus));
        Assert.Equal(StackStatus.CreateComplete, stack.StackStatus);
        Assert.StartsWith("E", stack.Outputs.Single(o => o.OutputKey == "DistributionId").OutputValue, StringComparison.Ordinal);
        Assert.Contains(stack.Tags, t => t.Key == "portal:request-id" && t.Value == "r1");

        var events = await cf.DescribeStackEventsAsync(Region, new DescribeStackEventsRequest { StackName = "wire-site" });
        Assert.Equal("CREATE_COMPLETE", events.StackEvents[0].ResourceStatus);
        Assert.Equal("exec-1", events.StackEvents[1].ClientRequestToken);
        Assert.Contains(events.StackEvents, e => e.LogicalResourceId == "Certificate" && e.ResourceStatus == "CREATE_COMPLETE");

        await cf.CreateChangeSetAsync(Region, new CreateChangeSetRequest
        {
            StackName = "wire-site", ChangeSetName = "cs-2", ChangeSetType = ChangeSetType.Update, TemplateBody = TestTemplates.Site(),
            Parameters = [new("SiteName", "docs.example.com")], Tags = [new("portal:request-id", "r1")],
        });
        var empty = await WaitAsync(() => cf.DescribeChangeSetAsync(Region, new DescribeChangeSetRequest { ChangeSetName = "cs-2", StackName = "wire-site" }),
            d => d.Status is ChangeSetStatus.CreateComplete or ChangeSetStatus.Failed);
        Assert.Equal(ChangeSetStatus.Failed, empty.Status);
        Assert.Contains("didn't contain changes", empty.StatusReason, StringComparison.Ordinal);
        await cf.DeleteChangeSetAsync(Region, new DeleteChangeSetRequest { ChangeSetName = "cs-2", StackName = "wire-site" });

        _aws.CloudFormation.ChangeOutOfBand(Region, "wire-site", "HeadersPolicy", p => p["ResponseHeadersPolicyConfig"]!["Comment"] = "changed by hand");
        var detection = await cf.DetectStackDriftAsync(Region, new DetectStackDriftRequest { StackName = "wire-site" });
        var status = await WaitAsync(() => cf.DescribeStackDriftDetectionStatusAsync(Region, new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = detection.StackDriftDetectionId }),
            s => s.DetectionStatus != "DETECTION_IN_PROGRESS");
        Assert.Equal("DRIFTED", status.StackDriftStatus);
        Assert.Equal(1, status.DriftedStackResourceCount);
        var drifts = await cf.DescribeStackResourceDriftsAsync(Region, new DescribeStackResourceDriftsRequest { StackName = "wire-site", StackResourceDriftStatusFilters = ["MODIFIED", "DELETED"] });
        var drift = Assert.Single(drifts.StackResourceDrifts);
        Assert.Equal("HeadersPolicy", drift.LogicalResourceId);
        var difference = Assert.Single(drift.PropertyDifferences);
        Assert.Equal("/ResponseHeadersPolicyConfig/Comment", difference.PropertyPath);
        Assert.Equal("\"changed by hand\"", difference.ActualValue);
        Assert.Equal("NOT_EQUAL", difference.DifferenceType);

        await cf.DeleteStackAsync(Region, new DeleteStackRequest { StackName = "wire-site", ClientRequestToken = "delete-1" });
        var deleted = await WaitAsync(async () => (await cf.DescribeStacksAsync(Region, new DescribeStacksRequest { StackName = stack.StackId })).Stacks[0],
            s => !StackStatus.IsInProgress(s.StackStatus));
        Assert.Equal(StackStatus.DeleteComplete, deleted.StackStatus);
        var gone = await Assert.ThrowsAsync<AmazonServiceException>(() => cf.DescribeStacksAsync(Region, new DescribeStacksRequest { StackName = "wire-site" }));
        Assert.Equal("ValidationError", gone.ErrorCode);
        Assert.Contains("does not exist", gone.Message, StringComparison.Ordinal);

        Assert.Empty(_aws.Violations);
        Assert.All(_aws.Calls, c => Assert.Equal(Region, c.Region));
    }

    [Fact]
    public async Task Route53_lists_zones_by_name_and_pages_through_record_sets()
    {
        var zone = _aws.Route53.AddZone("example.com");
        _aws.Route53.AddZone("example.org");
        for (var i = 0; i < 7; i++)
        {
            _aws.Route53.AddRecord(zone, $"host{i}.example.com", "A", "192.0.2." + i);
        }

        var zones = await _clients.Route53.ListHostedZonesByNameAsync(new ListHostedZonesByNameRequest { DNSName = "example.com", MaxItems = 1 });
        var found = Assert.Single(zones.HostedZones);
        Assert.Equal("example.com.", found.Name);
        Assert.Equal(zone, found.ShortId);
        Assert.True(zones.IsTruncated);

        var names = new List<string>();
        var request = new ListResourceRecordSetsRequest { HostedZoneId = found.Id, MaxItems = 3 };
        while (true)
        {
            var page = await _clients.Route53.ListResourceRecordSetsAsync(request);
            names.AddRange(page.ResourceRecordSets.Select(r => r.Name));
            if (!page.IsTruncated)
            {
                break;
            }

            request = request with { StartRecordName = page.NextRecordName, StartRecordType = page.NextRecordType };
        }

        Assert.Equal(7, names.Distinct().Count());
        Assert.Empty(_aws.Violations);
        Assert.All(_aws.Calls, c => Assert.Equal(("route53", "us-east-1"), (c.Service, c.Region)));
    }

    [Fact]
    public async Task CloudFront_invalidation_with_the_same_caller_reference_is_created_once()
    {
        _aws.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);
        var cf = _clients.CloudFormation;
        await cf.CreateChangeSetAsync("us-east-1", new CreateChangeSetRequest
        {
            StackName = "cdn", ChangeSetName = "cs", ChangeSetType = ChangeSetType.Create, TemplateBody = TestTemplates.Site(), Parameters = [new("SiteName", "a.example.com")],
        });
        await WaitAsync(() => cf.DescribeChangeSetAsync("us-east-1", new DescribeChangeSetRequest { ChangeSetName = "cs", StackName = "cdn" }), d => d.Status == ChangeSetStatus.CreateComplete);
        await cf.ExecuteChangeSetAsync("us-east-1", new ExecuteChangeSetRequest { ChangeSetName = "cs", StackName = "cdn" });
        var stack = await WaitAsync(async () => (await cf.DescribeStacksAsync("us-east-1", new DescribeStacksRequest { StackName = "cdn" })).Stacks[0], s => s.StackStatus == StackStatus.CreateComplete);
        var distribution = stack.Outputs.Single(o => o.OutputKey == "DistributionId").OutputValue;

        var batch = new InvalidationBatch(["/*"], "content-copy-1");
        var first = await _clients.CloudFront.CreateInvalidationAsync(new CreateInvalidationRequest(distribution, batch));
        var second = await _clients.CloudFront.CreateInvalidationAsync(new CreateInvalidationRequest(distribution, batch));
        Assert.Equal(first.Invalidation.Id, second.Invalidation.Id);
        Assert.EndsWith("/invalidation/" + first.Invalidation.Id, first.Location, StringComparison.Ordinal);
        Assert.Equal(["/*"], first.Invalidation.InvalidationBatch.Paths);
        var done = await WaitAsync(() => _clients.CloudFront.GetInvalidationAsync(new GetInvalidationRequest(distribution, first.Invalidation.Id)), g => g.Invalidation.Status == "Completed");
        Assert.Equal("content-copy-1", done.Invalidation.InvalidationBatch.CallerReference);
        Assert.Equal(1, _aws.CloudFront.InvalidationsCreated[distribution]);
        Assert.Empty(_aws.Violations);
    }

    [Fact]
    public async Task Calls_succeed_through_throttling_server_errors_slow_answers_and_dropped_connections()
    {
        _aws.Faults.Rate = 0.5;
        _aws.Faults.SlowDelay = TimeSpan.FromSeconds(1.5);
        for (var i = 0; i < 20; i++)
        {
            var response = await _clients.CloudFormation.DescribeStacksAsync("us-east-1", new DescribeStacksRequest());
            Assert.Empty(response.Stacks);
        }

        var faults = _aws.Calls.Where(c => c.Fault is not null).Select(c => c.Fault!.Value).ToHashSet();
        Assert.True(faults.Count >= 4, "expected most fault kinds at a 50% rate, saw " + string.Join(", ", faults));
        Assert.Empty(_aws.Violations);
    }

    [Fact]
    public async Task A_refusal_that_is_not_transient_is_not_retried()
    {
        // A long attempt timeout: on a loaded machine the endpoint's first answer can take over the usual second, and a
        // retry after a timeout is right but is not what this test is about.
        using var patient = new AwsTestClients(_aws, AwsTestClients.FastRetries with { AttemptTimeout = TimeSpan.FromSeconds(60) });
        var error = await Assert.ThrowsAsync<AmazonServiceException>(() =>
            patient.CloudFormation.DescribeStacksAsync("us-east-1", new DescribeStacksRequest { StackName = "missing" }));
        Assert.Equal(("ValidationError", System.Net.HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
        Assert.Single(_aws.Calls);
    }

    internal static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The loopback endpoint did not reach the expected state in 30 s; last: " + value);
            }

            await Task.Delay(50);
        }
    }
}
