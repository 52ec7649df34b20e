using System.Text.Json.Nodes;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// S3 buckets made by stacks: S3's naming rules, one name in the whole local cloud, the bucket exists in S3, and a
/// bucket holding objects cannot be deleted.
/// </summary>
public sealed class S3BucketRulesTests
{
    private readonly ProviderWorld _world = new();

    private static JsonObject Bucket(string name) => new() { ["BucketName"] = name, ["VersioningConfiguration"] = new JsonObject { ["Status"] = "Enabled" } };

    [Fact]
    public void Ref_is_the_name_and_the_attributes_are_s3s_addresses()
    {
        var result = _world.Create("AWS::S3::Bucket", "Content", Bucket("portal-content"));

        Assert.Equal("portal-content", result.PhysicalId);
        Assert.Equal("arn:aws:s3:::portal-content", result.Attributes["Arn"]);
        Assert.Equal("portal-content.s3.amazonaws.com", result.Attributes["DomainName"]);
        Assert.Equal("portal-content.s3.us-east-1.amazonaws.com", result.Attributes["RegionalDomainName"]);
        Assert.Equal("portal-content.s3.dualstack.us-east-1.amazonaws.com", result.Attributes["DualStackDomainName"]);
        Assert.Equal("http://portal-content.s3-website-us-east-1.amazonaws.com", result.Attributes["WebsiteURL"]);
    }

    [Fact]
    public void The_bucket_exists_in_s3_for_uploads()
    {
        _world.Create("AWS::S3::Bucket", "Content", Bucket("portal-content")).AssertCreated();

        var put = _world.S3.Handle("PutObject", new Dictionary<string, object?> { ["Bucket"] = "portal-content", ["Key"] = "a.txt", ["Body"] = "x"u8.ToArray() });

        Assert.Null(put.Error);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Portal-Content")]
    [InlineData("portal_content")]
    [InlineData("-portal")]
    [InlineData("portal..content")]
    [InlineData("192.168.5.4")]
    [InlineData("xn--portal")]
    [InlineData("portal-s3alias")]
    [InlineData("a-name-of-sixty-four-characters-is-one-character-too-long-for-s3")]
    public void Names_breaking_s3s_naming_rules_are_refused(string name)
    {
        _world.Create("AWS::S3::Bucket", "Content", Bucket(name)).AssertRefused("InvalidBucketName");
    }

    [Fact]
    public void A_name_already_taken_in_the_local_cloud_is_refused()
    {
        _world.S3.CreateBucket("portal-logs");

        var failure = _world.Create("AWS::S3::Bucket", "Logs", Bucket("portal-logs")).AssertRefused("BucketAlreadyExists");

        Assert.StartsWith("The requested bucket name is not available.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_name_CloudFormation_makes_a_valid_lower_case_one()
    {
        var result = _world.Create("AWS::S3::Bucket", "ContentBucket", new JsonObject());

        result.AssertCreated();
        Assert.Matches("^site-stack-contentbucket-[a-z0-9]{12}$", result.PhysicalId);
    }

    [Fact]
    public void A_bucket_holding_an_object_cannot_be_deleted()
    {
        var bucket = _world.Made("AWS::S3::Bucket", "Content", Bucket("portal-content"));
        _world.S3.Put("portal-content", "index.html", "<html></html>");

        var failure = _world.Delete(bucket);

        Assert.Contains("Error Code: BucketNotEmpty;", failure, StringComparison.Ordinal);
        Assert.True(_world.S3.HasBucket("portal-content"));
    }

    [Fact]
    public void A_versioned_bucket_with_only_a_delete_marker_left_is_still_not_empty()
    {
        var bucket = _world.Made("AWS::S3::Bucket", "Content", Bucket("portal-content"));
        _world.S3.Put("portal-content", "index.html", "<html></html>");
        _world.S3.Handle("DeleteObject", new Dictionary<string, object?> { ["Bucket"] = "portal-content", ["Key"] = "index.html" });
        Assert.Empty(_world.S3.Current("portal-content", ""));

        Assert.Contains("Error Code: BucketNotEmpty;", _world.Delete(bucket), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_bucket_is_deleted_from_s3()
    {
        var bucket = _world.Made("AWS::S3::Bucket", "Content", Bucket("portal-content"));

        Assert.Null(_world.Delete(bucket));

        Assert.False(_world.S3.HasBucket("portal-content"));
    }
}
