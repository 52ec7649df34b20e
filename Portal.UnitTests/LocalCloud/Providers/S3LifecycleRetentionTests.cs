using System.Text.Json.Nodes;
using Portal.Core.Templates;
using Portal.Tests.Templates;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>
/// A bucket's noncurrent version expiration as S3 takes it: NewerNoncurrentVersions between 1 and 100 with positive
/// NoncurrentDays, else InvalidArgument; the retained count is what expiring keeps of each key's replaced versions, and
/// a copy from a version that expired answers NoSuchVersion. The site template's bucket gets the site's count.
/// </summary>
public sealed class S3LifecycleRetentionTests
{
    private readonly ProviderWorld _world = new();

    private static JsonObject Bucket(string name, JsonObject expiration) => new()
    {
        ["BucketName"] = name,
        ["VersioningConfiguration"] = new JsonObject { ["Status"] = "Enabled" },
        ["LifecycleConfiguration"] = new JsonObject
        {
            ["Rules"] = new JsonArray(new JsonObject { ["Id"] = "expire-previous-versions", ["Status"] = "Enabled", ["NoncurrentVersionExpiration"] = expiration }),
        },
    };

    [Theory]
    [InlineData(101)]
    [InlineData(0)]
    public void More_than_one_hundred_or_no_newer_noncurrent_versions_are_refused(int newer)
    {
        var failure = _world.Create("AWS::S3::Bucket", "Content", Bucket("portal-content", new JsonObject { ["NewerNoncurrentVersions"] = newer, ["NoncurrentDays"] = 7 }))
            .AssertRefused("InvalidArgument");

        Assert.Contains("NewerNoncurrentVersions must be between 1 and 100", failure, StringComparison.Ordinal);
        Assert.False(_world.S3.HasBucket("portal-content"));
    }

    [Fact]
    public void A_count_without_noncurrent_days_is_refused()
    {
        _world.Create("AWS::S3::Bucket", "Content", Bucket("portal-content", new JsonObject { ["NewerNoncurrentVersions"] = 5 })).AssertRefused("InvalidArgument");
    }

    [Fact]
    public void Expiring_keeps_the_retained_count_of_replaced_versions_and_a_copy_of_an_expired_one_is_no_such_version()
    {
        _world.Create("AWS::S3::Bucket", "Content", Bucket("portal-content", new JsonObject { ["NewerNoncurrentVersions"] = 2, ["NoncurrentDays"] = 7 })).AssertCreated();
        var versions = Enumerable.Range(1, 4).Select(i => _world.S3.Put("portal-content", "testing/docs/index.html", $"v{i}")).ToList();

        _world.S3.ExpireNoncurrent("portal-content");

        Assert.Equal(3, _world.S3.VersionCount("portal-content", "testing/docs/index.html"));
        Assert.Null(Copy(versions[1]).Error);
        Assert.Equal("NoSuchVersion", Copy(versions[0]).Error?.Code);
    }

    [Fact]
    public void A_version_id_of_a_key_that_is_gone_is_no_such_version_too()
    {
        _world.S3.CreateBucket("portal-content");

        Assert.Equal("NoSuchVersion", _world.S3.Handle("CopyObject", new Dictionary<string, object?>
        {
            ["Bucket"] = "portal-content",
            ["Key"] = "copy.html",
            ["CopySource"] = "portal-content/never.html?versionId=0000000001",
        }).Error?.Code);
    }

    [Fact]
    public void Updating_the_rule_changes_the_retained_count()
    {
        var bucket = _world.Made("AWS::S3::Bucket", "Content", Bucket("portal-content", new JsonObject { ["NewerNoncurrentVersions"] = 2, ["NoncurrentDays"] = 7 }));

        _world.Update(bucket, Bucket("portal-content", new JsonObject { ["NewerNoncurrentVersions"] = 30, ["NoncurrentDays"] = 7 })).AssertCreated();

        Assert.Equal(30, _world.S3.NewerNoncurrentVersions("portal-content"));
    }

    [Fact]
    public void The_site_templates_bucket_keeps_the_sites_count()
    {
        var spec = (Portal.Core.Requests.SiteSpec)RenderMatrix.Specs["site-defaults"] with { KeepContentVersions = 12 };
        var site = RenderMatrix.Renderer(RenderMatrix.DefaultSettings).Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice Requester", spec), Portal.Core.Requests.DeploymentEnvironment.Testing)
            .Stacks.Single(s => s.Kind == StackKind.Site);
        var properties = DeployedStacks.Resolved(site)["Resources"]!["ContentBucket"]!["Properties"]!.DeepClone().AsObject();

        var created = _world.Create("AWS::S3::Bucket", "ContentBucket", properties);

        created.AssertCreated();
        Assert.Equal(12, _world.S3.NewerNoncurrentVersions(created.PhysicalId!));
    }

    private AwsResult Copy(string versionId) => _world.S3.Handle("CopyObject", new Dictionary<string, object?>
    {
        ["Bucket"] = "portal-content",
        ["Key"] = "testing/docs/restored.html",
        ["CopySource"] = $"portal-content/testing/docs/index.html?versionId={versionId}",
    });
}
