using System.Text.Json.Nodes;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>A bucket policy needs its bucket, valid JSON, and resources inside that bucket.</summary>
public sealed class S3BucketPolicyRulesTests
{
    private readonly ProviderWorld _world = new();

    private static JsonObject Policy(string bucket, string resource) => new()
    {
        ["Bucket"] = bucket,
        ["PolicyDocument"] = JsonNode.Parse($$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"{{resource}}"}]}
            """),
    };

    [Fact]
    public void A_policy_for_an_existing_bucket_and_its_objects_is_accepted_and_Ref_is_the_bucket()
    {
        _world.S3.CreateBucket("portal-content");

        var result = _world.Create("AWS::S3::BucketPolicy", "ContentPolicy", Policy("portal-content", "arn:aws:s3:::portal-content/*"));

        result.AssertCreated();
        Assert.Equal("portal-content", result.PhysicalId);
    }

    [Fact]
    public void A_policy_for_a_bucket_that_does_not_exist_is_refused()
    {
        _world.Create("AWS::S3::BucketPolicy", "ContentPolicy", Policy("portal-content", "arn:aws:s3:::portal-content/*")).AssertRefused("NoSuchBucket");
    }

    [Fact]
    public void A_resource_outside_the_bucket_is_an_invalid_resource()
    {
        _world.S3.CreateBucket("portal-content");

        var failure = _world.Create("AWS::S3::BucketPolicy", "ContentPolicy", Policy("portal-content", "arn:aws:s3:::portal-logs/*"))
            .AssertRefused("MalformedPolicy");

        Assert.StartsWith("Policy has invalid resource", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_document_that_is_not_json_is_malformed()
    {
        _world.S3.CreateBucket("portal-content");

        _world.Create("AWS::S3::BucketPolicy", "ContentPolicy", new JsonObject { ["Bucket"] = "portal-content", ["PolicyDocument"] = "Version: 2012" })
            .AssertRefused("MalformedPolicy");
    }
}
