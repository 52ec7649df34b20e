using Portal.Core.Adoption;
using Portal.Core.Requests;

namespace Portal.Tests.Adoption;

/// <summary>
/// What adopting a site on CloudFront records: only a distribution whose aliases hold the site's name and whose origin is
/// an S3 bucket is accepted; its error responses, root object and protocol map onto the site's settings, and what the
/// portal's stack would not carry over is listed.
/// </summary>
public sealed class SiteAdoptionRulesTests
{
    private const string Host = "docs.example.com";

    private static CloudFrontDistribution Distribution(
        string originDomain = "old-docs.s3.us-east-1.amazonaws.com", IReadOnlyList<string>? aliases = null, IReadOnlyList<DistributionErrorResponse>? errors = null,
        string? rootObject = "index.html", string protocol = "redirect-to-https", string priceClass = "PriceClass_All", string? originPath = null) =>
        new("E1U5RQF7T870K0", "Deployed", true, "d111111abcdef8.cloudfront.net", aliases ?? [Host], rootObject, priceClass,
            [new DistributionOrigin("content", originDomain, originPath, true)], "content", protocol, errors ?? [],
            "arn:aws:acm:us-east-1:123456789012:certificate/abc");

    [Theory]
    [InlineData("old-docs.s3.amazonaws.com", "old-docs", S3OriginEndpoint.Rest)]
    [InlineData("old-docs.s3.eu-west-1.amazonaws.com", "old-docs", S3OriginEndpoint.Rest)]
    [InlineData("old-docs.s3-eu-west-1.amazonaws.com", "old-docs", S3OriginEndpoint.Rest)]
    [InlineData("www.example.com.s3.dualstack.eu-west-1.amazonaws.com", "www.example.com", S3OriginEndpoint.Rest)]
    [InlineData("old-docs.s3-website-eu-west-1.amazonaws.com", "old-docs", S3OriginEndpoint.Website)]
    [InlineData("old-docs.s3-website.eu-central-1.amazonaws.com", "old-docs", S3OriginEndpoint.Website)]
    public void S3_rest_and_website_endpoints_name_their_bucket(string domain, string bucket, S3OriginEndpoint endpoint)
    {
        var origin = SiteAdoption.Bucket(new DistributionOrigin("content", domain, null, false));

        Assert.Equal(new OriginBucket(bucket, endpoint, ""), origin);
    }

    [Theory]
    [InlineData("app-123.eu-west-1.elb.amazonaws.com")]
    [InlineData("origin.example.com")]
    [InlineData("s3.amazonaws.com")]
    public void Other_origins_name_no_bucket(string domain)
    {
        Assert.Null(SiteAdoption.Bucket(new DistributionOrigin("content", domain, null, false)));
    }

    [Fact]
    public void An_origin_path_is_the_prefix_of_the_inventory()
    {
        var (origin, refusal) = SiteAdoption.Judge(Host, Distribution(originPath: "/live/"));

        Assert.Null(refusal);
        Assert.Equal(new OriginBucket("old-docs", S3OriginEndpoint.Rest, "live/"), origin);
    }

    [Fact]
    public void A_name_that_is_not_among_the_aliases_is_refused_naming_them()
    {
        var (origin, refusal) = SiteAdoption.Judge("blog.example.com", Distribution(aliases: ["docs.example.com", "www.docs.example.com"]));

        Assert.Null(origin);
        Assert.Equal("blog.example.com is not an alternate domain name (alias) of distribution E1U5RQF7T870K0; its aliases are docs.example.com, www.docs.example.com. "
            + "Check the distribution id, or the site's domain name.", refusal);
    }

    [Fact]
    public void An_origin_that_is_not_s3_is_refused()
    {
        var (origin, refusal) = SiteAdoption.Judge(Host, Distribution(originDomain: "app-123.eu-west-1.elb.amazonaws.com"));

        Assert.Null(origin);
        Assert.StartsWith("The origin of distribution E1U5RQF7T870K0 is app-123.eu-west-1.elb.amazonaws.com, not an S3 bucket.", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_answered_with_404_for_a_missing_object_is_the_sites_404_page()
    {
        var found = Map(Distribution(errors: [new(403, "/errors/404.html", "404"), new(404, "/errors/404.html", "404")]));

        Assert.Equal(("/errors/404.html", false), (found.NotFoundPage, found.SinglePageApplication));
        Assert.Empty(found.Problems);
        var spec = SiteAdoption.Spec(found, "Z0EXAMPLE", "Example.com.");
        Assert.Equal((Host, "Z0EXAMPLE", "example.com", "/errors/404.html", false, ViewerProtocol.RedirectToHttps),
            (spec.Host, spec.HostedZoneId, spec.HostedZoneName, spec.NotFoundPage, spec.SinglePageApplication, spec.ViewerProtocol));
    }

    [Fact]
    public void Index_html_answered_with_200_is_a_single_page_application()
    {
        var found = Map(Distribution(errors: [new(403, "/index.html", "200"), new(404, "/index.html", "200")], protocol: "https-only"));

        Assert.Equal((null, true, ViewerProtocol.HttpsOnly), (found.NotFoundPage, found.SinglePageApplication, found.ViewerProtocol));
        Assert.Equal("/index.html with 200 (single-page application)", SiteAdoption.Describe(found));
    }

    [Fact]
    public void What_the_portals_stack_would_not_carry_over_is_listed()
    {
        var found = Map(Distribution(
            originDomain: "old-docs.s3-website-us-east-1.amazonaws.com", aliases: [Host, "www.docs.example.com"], errors: [new(500, "/oops.html", "500")],
            rootObject: null, protocol: "allow-all", priceClass: "PriceClass_100"), new BucketInventory(0, 0));

        Assert.Equal(
        [
            "Other aliases (www.docs.example.com) are not carried over: add them as redirect names in the next revision, or keep them on the old distribution.",
            "The origin is S3's website endpoint: its index documents in folders (about/ serving about/index.html) and its redirect rules are not carried over; the portal's stack reads the bucket through its REST endpoint.",
            "The default root object is not set; the portal's stack serves index.html at /.",
            "The custom error response for 500 (/oops.html, status 500) is not carried over.",
            "The viewer protocol policy is allow-all; the portal's stack redirects plain HTTP to HTTPS.",
            "The price class is PriceClass_100; the portal's stacks use the price class the portal is configured with, not one per site.",
            "The bucket old-docs has no objects: there is no content to serve.",
        ], found.Problems);
        Assert.Equal((null, false, ViewerProtocol.RedirectToHttps), (found.NotFoundPage, found.SinglePageApplication, found.ViewerProtocol));
    }

    [Fact]
    public void A_404_page_the_site_form_would_refuse_is_not_carried_over()
    {
        var found = Map(Distribution(errors: [new(404, "/errors/../404.html", "404")]));

        Assert.Null(found.NotFoundPage);
        Assert.StartsWith("The 404 page /errors/../404.html is not carried over: The 404 page must be a file of the site's content", Assert.Single(found.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_sentence_names_the_distribution_the_bucket_and_the_inventory()
    {
        var found = Map(Distribution(errors: [new(404, "/404.html", "404")]), new BucketInventory(3, 1234));

        Assert.Equal("Adopted docs.example.com from CloudFront distribution E1U5RQF7T870K0 (Deployed), origin bucket old-docs (REST endpoint) with 3 object(s), 1234 bytes; "
            + "missing paths: /404.html with 404; 0 problem(s) found.", SiteAdoption.Summary(found));
    }

    [Theory]
    [InlineData(" e1u5rqf7t870k0 ", "E1U5RQF7T870K0", null)]
    [InlineData("", "", "Enter the CloudFront distribution id, e.g. E1U5RQF7T870K0 (the CloudFront console lists it).")]
    [InlineData("E1/../x", "E1/../X", "'E1/../X' is not a CloudFront distribution id: those are letters and digits only, e.g. E1U5RQF7T870K0.")]
    public void The_distribution_id_is_normalised_or_refused(string input, string id, string? problem)
    {
        Assert.Equal((id, problem), SiteAdoption.NormalizeDistributionId(input));
    }

    [Theory]
    [InlineData(" Docs.Example.COM. ", "docs.example.com", null)]
    [InlineData("", "", "Enter the site's domain name, e.g. docs.example.com.")]
    public void The_host_is_normalised_or_refused(string input, string host, string? problem)
    {
        Assert.Equal((host, problem), SiteAdoption.NormalizeHost(input));
    }

    private static FoundSite Map(CloudFrontDistribution distribution, BucketInventory? inventory = null)
    {
        var (origin, refusal) = SiteAdoption.Judge(Host, distribution);
        Assert.Null(refusal);
        return SiteAdoption.Map(Host, distribution, origin!, inventory ?? new BucketInventory(2, 100));
    }
}
