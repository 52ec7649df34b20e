using Portal.Core.Adoption;
using Portal.Core.Content;

namespace Portal.Tests.Adoption;

/// <summary>
/// Where an adopted site's content is copied from (the origin bucket and path its adoption recorded) and the limits it
/// is held to: the ones an uploaded archive has (files, expanded bytes, bytes of one file).
/// </summary>
public sealed class AdoptedContentRulesTests
{
    private const string Host = "docs.example.com";

    private static readonly ContentOptions Limits = new() { MaxFiles = 3, MaxExpandedBytes = 1000, MaxFileBytes = 400 };

    [Theory]
    [InlineData("old-docs.s3.us-east-1.amazonaws.com", null, "old-docs", "", "old-docs")]
    [InlineData("old-docs.s3.us-east-1.amazonaws.com", "/site/v2", "old-docs", "site/v2/", "old-docs/site/v2")]
    [InlineData("old.docs.s3-website-eu-west-1.amazonaws.com", "/www/", "old.docs", "www/", "old.docs/www")]
    public void The_origin_recorded_at_adoption_is_read_back_from_the_adoption_record(string originDomain, string? originPath, string bucket, string prefix, string described)
    {
        var distribution = new CloudFrontDistribution("E1U5RQF7T870K0", "Deployed", true, "d111111abcdef8.cloudfront.net", [Host], "index.html", "PriceClass_All",
            [new DistributionOrigin("content", originDomain, originPath, true)], "content", "redirect-to-https", [], null);
        var (origin, refusal) = SiteAdoption.Judge(Host, distribution);
        Assert.Null(refusal);
        var summary = SiteAdoption.Summary(SiteAdoption.Map(Host, distribution, origin!, new BucketInventory(2, 100)));

        var read = AdoptedContent.ReadOrigin(summary);

        Assert.Equal((bucket, prefix, origin!.Endpoint), (read!.Bucket, read.Prefix, read.Endpoint));
        Assert.Equal(described, AdoptedContent.Describe(read));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Adopted what mta-sts.example.com serves: mode enforce, max_age 86400")]
    public void A_record_that_is_not_a_site_adoption_names_no_origin(string? text)
    {
        Assert.Null(AdoptedContent.ReadOrigin(text));
    }

    [Fact]
    public void Objects_within_the_upload_limits_may_be_copied()
    {
        Assert.Null(AdoptedContent.CheckLimits([new("index.html", 400), new("404.html", 10)], true, "old-docs", Limits));
    }

    [Fact]
    public void Objects_beyond_the_upload_limits_are_refused_with_the_limit_named()
    {
        var empty = AdoptedContent.CheckLimits([], true, "old-docs", Limits);
        var many = AdoptedContent.CheckLimits([new("a", 1), new("b", 1), new("c", 1), new("d", 1)], false, "old-docs", Limits);
        var bytes = AdoptedContent.CheckLimits([new("a", 400), new("b", 400), new("c", 300)], true, "old-docs", Limits);
        var large = AdoptedContent.CheckLimits([new("video.mp4", 401)], true, "old-docs/www", Limits);

        Assert.Equal((AdoptedContentLimit.Empty, "The adopted bucket old-docs holds no objects; there is no content to copy. Upload the site's content instead."), empty);
        Assert.Equal((AdoptedContentLimit.TooManyFiles, "The adopted bucket old-docs holds more than 3 objects, the most one content version may have; nothing was copied. "
            + "Upload the site's content as an archive within the limits instead."), many);
        Assert.Equal(AdoptedContentLimit.TooManyBytes, bytes!.Value.Limit);
        Assert.StartsWith("The adopted bucket old-docs holds 1", bytes.Value.Message, StringComparison.Ordinal);
        Assert.Equal(AdoptedContentLimit.FileTooLarge, large!.Value.Limit);
        Assert.Contains("1 object(s) larger than", large.Value.Message, StringComparison.Ordinal);
        Assert.Contains("('video.mp4')", large.Value.Message, StringComparison.Ordinal);
    }
}
