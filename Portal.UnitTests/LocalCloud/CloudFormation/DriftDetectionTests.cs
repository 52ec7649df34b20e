using System.Text.Json.Nodes;
using Portal.LocalCloud.Providers;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>
/// Drift detection compares each resource's template properties with what its service holds now: a bucket policy
/// replaced or deleted through S3's own API is MODIFIED (with the property path and both values) or DELETED.
/// </summary>
public sealed class DriftDetectionTests
{
    private const string Stack = "drift-stack";
    private const string BucketName = "drift-content";

    private readonly S3Service _s3 = new(TimeProvider.System);
    private readonly CloudFormationHarness _cf;

    public DriftDetectionTests()
    {
        _cf = new CloudFormationHarness(new ResourceProviders(AwsResourceProviders.Create(new LocalCloudQuotas(), _s3)));
        var template = Template(new JsonObject
        {
            ["Content"] = Bucket(BucketName),
            ["ContentPolicy"] = new JsonObject
            {
                ["Type"] = "AWS::S3::BucketPolicy",
                ["Properties"] = new JsonObject { ["Bucket"] = new JsonObject { ["Ref"] = "Content" }, ["PolicyDocument"] = Policy("s3:GetObject") },
            },
        });
        Assert.Equal("CREATE_COMPLETE", _cf.Deploy(Stack, "cs-1", template));
    }

    private static JsonObject Policy(string action) => JsonNode.Parse($$"""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"{{action}}","Resource":"arn:aws:s3:::{{BucketName}}/*"}]}
        """)!.AsObject();

    private Dictionary<string, object?> Detect()
    {
        var started = _cf.Engine.Handle("DetectStackDrift", Region, Input(("StackName", Stack)));
        Assert.Null(started.Error);
        _cf.Clock.Advance(_cf.Timings.DriftDetection);
        var status = _cf.Engine.Handle("DescribeStackDriftDetectionStatus", Region, Input(("StackDriftDetectionId", started.Output!["StackDriftDetectionId"])));
        Assert.Null(status.Error);
        Assert.Equal("DETECTION_COMPLETE", status.Output!["DetectionStatus"]);
        return status.Output;
    }

    private List<Dictionary<string, object?>> Drifted()
    {
        var drifts = _cf.Engine.Handle("DescribeStackResourceDrifts", Region, Input(("StackName", Stack), ("StackResourceDriftStatusFilters", new List<object?> { "MODIFIED", "DELETED" })));
        Assert.Null(drifts.Error);
        return ((List<object?>)drifts.Output!["StackResourceDrifts"]!).Cast<Dictionary<string, object?>>().ToList();
    }

    [Fact]
    public void A_stack_nobody_touched_is_in_sync()
    {
        var status = Detect();

        Assert.Equal("IN_SYNC", status["StackDriftStatus"]);
        Assert.Equal(0, status["DriftedStackResourceCount"]);
        Assert.Empty(Drifted());
    }

    [Fact]
    public void A_policy_replaced_through_PutBucketPolicy_is_modified_with_the_path_and_both_values()
    {
        Assert.Null(_s3.Handle("PutBucketPolicy", Input(("Bucket", BucketName), ("Policy", Policy("s3:*").ToJsonString()))).Error);

        var status = Detect();

        Assert.Equal("DRIFTED", status["StackDriftStatus"]);
        Assert.Equal(1, status["DriftedStackResourceCount"]);
        var drift = Assert.Single(Drifted());
        Assert.Equal(("ContentPolicy", "MODIFIED"), ((string?)drift["LogicalResourceId"], (string?)drift["StackResourceDriftStatus"]));
        var difference = (Dictionary<string, object?>)Assert.Single((List<object?>)drift["PropertyDifferences"]!)!;
        Assert.Equal("/PolicyDocument/Statement/0/Action", difference["PropertyPath"]);
        Assert.Equal("\"s3:GetObject\"", difference["ExpectedValue"]);
        Assert.Equal("\"s3:*\"", difference["ActualValue"]);
        Assert.Equal("NOT_EQUAL", difference["DifferenceType"]);
        Assert.Contains("s3:*", (string?)drift["ActualProperties"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_deleted_through_DeleteBucketPolicy_is_a_deleted_resource()
    {
        Assert.Null(_s3.Handle("DeleteBucketPolicy", Input(("Bucket", BucketName))).Error);

        Detect();

        var drift = Assert.Single(Drifted());
        Assert.Equal(("ContentPolicy", "DELETED"), ((string?)drift["LogicalResourceId"], (string?)drift["StackResourceDriftStatus"]));
    }

    [Fact]
    public void A_policy_put_back_as_the_template_says_is_in_sync_again()
    {
        _s3.Handle("PutBucketPolicy", Input(("Bucket", BucketName), ("Policy", Policy("s3:*").ToJsonString())));
        Assert.Equal("DRIFTED", Detect()["StackDriftStatus"]);

        _s3.Handle("PutBucketPolicy", Input(("Bucket", BucketName), ("Policy", Policy("s3:GetObject").ToJsonString())));

        Assert.Equal("IN_SYNC", Detect()["StackDriftStatus"]);
    }

    [Fact]
    public void PutBucketPolicy_refuses_a_resource_outside_the_bucket_as_S3_does()
    {
        var policy = Policy("s3:GetObject");
        policy["Statement"]![0]!["Resource"] = "arn:aws:s3:::another-bucket/*";

        var refused = _s3.Handle("PutBucketPolicy", Input(("Bucket", BucketName), ("Policy", policy.ToJsonString())));

        Assert.Equal(("MalformedPolicy", "Policy has invalid resource"), (refused.Error?.Code, refused.Error?.Message));
        Assert.Equal("IN_SYNC", Detect()["StackDriftStatus"]);
    }
}
