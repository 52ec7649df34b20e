using System.Text.Json.Nodes;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>Standard logging needs an existing bucket whose ACLs are enabled, as the shared stack's log bucket has them.</summary>
public sealed class DistributionLoggingBucketTests
{
    private readonly ProviderWorld _world = new();

    private static JsonObject Bucket(string name, string? objectOwnership)
    {
        var bucket = new JsonObject { ["BucketName"] = name };
        if (objectOwnership is not null)
        {
            bucket["OwnershipControls"] = new JsonObject { ["Rules"] = new JsonArray(new JsonObject { ["ObjectOwnership"] = objectOwnership }) };
        }

        return bucket;
    }

    [Fact]
    public void A_log_bucket_that_does_not_exist_is_refused()
    {
        var failure = _world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(logBucketDomain: "portal-logs.s3.amazonaws.com"))
            .AssertRefused("InvalidArgument");

        Assert.StartsWith("The S3 bucket that you specified for CloudFront logs does not exist: portal-logs.s3.amazonaws.com", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("BucketOwnerEnforced")]
    public void A_log_bucket_with_ACLs_disabled_is_refused(string? objectOwnership)
    {
        _world.Create("AWS::S3::Bucket", "LogBucket", Bucket("portal-logs", objectOwnership)).AssertCreated();

        var failure = _world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(logBucketDomain: "portal-logs.s3.amazonaws.com"))
            .AssertRefused("InvalidArgument");

        Assert.StartsWith("The S3 bucket that you specified for CloudFront logs does not enable ACL access: portal-logs.s3.amazonaws.com", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_bucket_with_BucketOwnerPreferred_is_accepted()
    {
        _world.Create("AWS::S3::Bucket", "LogBucket", Bucket("portal-logs", "BucketOwnerPreferred")).AssertCreated();

        _world.Create("AWS::CloudFront::Distribution", "Site", Json.Distribution(logBucketDomain: "portal-logs.s3.amazonaws.com")).AssertCreated();
    }
}
