using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFront;
using Portal.LocalCloud.Resources;
using Portal.LocalCloud.Wire;

namespace Portal.Tests.LocalCloud.CloudFront;

/// <summary>CloudFront's List* calls page through what the stacks created: Marker, NextMarker and MaxItems as CloudFront uses them.</summary>
public sealed class CloudFrontListingTests
{
    private readonly ResourceIndex _index = new();

    public CloudFrontListingTests()
    {
        foreach (var id in new[] { "E1AAAAAAAAAAAA", "E2BBBBBBBBBBBB", "E3CCCCCCCCCCCC" })
        {
            _index.Put(new LiveResource("stack", "Oac" + id, "AWS::CloudFront::OriginAccessControl", id,
                new JsonObject { ["OriginAccessControlConfig"] = new JsonObject { ["Name"] = "oac-" + id, ["SigningProtocol"] = "sigv4", ["SigningBehavior"] = "always", ["OriginAccessControlOriginType"] = "s3" } },
                new Dictionary<string, string> { ["Id"] = id }));
        }
    }

    [Fact]
    public void Pages_follow_the_marker_until_no_next_marker()
    {
        var listings = new CloudFrontListings(_index, TimeProvider.System);

        var first = List(listings.Handle("ListOriginAccessControls", Tree.Of(("MaxItems", "2"))));
        Assert.Equal(2, first["Quantity"]);
        Assert.Equal(true, first["IsTruncated"]);
        Assert.Equal("E2BBBBBBBBBBBB", first["NextMarker"]);

        var second = List(listings.Handle("ListOriginAccessControls", Tree.Of(("MaxItems", "2"), ("Marker", "E2BBBBBBBBBBBB"))));
        Assert.Equal(1, second["Quantity"]);
        Assert.False(second.ContainsKey("NextMarker"));
        Assert.Equal("E3CCCCCCCCCCCC", ((Dictionary<string, object?>)((List<object?>)second["Items"]!)[0]!)["Id"]);
    }

    [Fact]
    public void A_max_items_that_is_not_a_positive_number_is_refused()
    {
        var answer = new CloudFrontListings(_index, TimeProvider.System).Handle("ListDistributions", Tree.Of(("MaxItems", "none")));

        Assert.Equal("InvalidArgument", answer.Error?.Code);
    }

    [Fact]
    public void The_local_cloud_has_no_managed_response_headers_policies()
    {
        var answer = new CloudFrontListings(_index, TimeProvider.System).Handle("ListResponseHeadersPolicies", Tree.Of(("Type", "managed")));

        Assert.Equal(0, List(answer)["Quantity"]);
    }

    [Fact]
    public void Get_distribution_answers_the_configuration_in_the_apis_shape_and_an_unknown_id_is_no_such_distribution()
    {
        _index.Put(new LiveResource("stack", "Distribution", "AWS::CloudFront::Distribution", "E9DISTRIBUTION",
            JsonNode.Parse("""
                {"DistributionConfig": {"Enabled": true, "Aliases": ["docs.example.com"], "DefaultRootObject": "index.html", "PriceClass": "PriceClass_100",
                 "Origins": [{"Id": "content", "DomainName": "old.s3.us-east-1.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}],
                 "DefaultCacheBehavior": {"TargetOriginId": "content", "ViewerProtocolPolicy": "https-only"},
                 "CustomErrorResponses": [{"ErrorCode": 404, "ResponseCode": 404, "ResponsePagePath": "/404.html"}],
                 "ViewerCertificate": {"AcmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x", "SslSupportMethod": "sni-only"}}}
                """)!.AsObject(),
            new Dictionary<string, string> { ["DomainName"] = "d9.cloudfront.net" }));
        var listings = new CloudFrontListings(_index, TimeProvider.System);

        var answer = listings.Handle("GetDistribution", Tree.Of(("Id", "E9DISTRIBUTION")));
        var missing = listings.Handle("GetDistribution", Tree.Of(("Id", "ENOSUCH")));

        var distribution = (Dictionary<string, object?>)answer.Output!["Distribution"]!;
        Assert.Equal(("E9DISTRIBUTION", "Deployed", "d9.cloudfront.net"), (distribution["Id"], distribution["Status"], distribution["DomainName"]));
        Assert.StartsWith("E", (string)answer.Output["ETag"]!, StringComparison.Ordinal);
        var config = (Dictionary<string, object?>)distribution["DistributionConfig"]!;
        Assert.Equal(["docs.example.com"], (List<object?>)((Dictionary<string, object?>)config["Aliases"]!)["Items"]!);
        var origin = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)config["Origins"]!)["Items"]!)[0]!;
        Assert.Equal(("old.s3.us-east-1.amazonaws.com", true), (origin["DomainName"], origin.ContainsKey("S3OriginConfig")));
        var error = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)config["CustomErrorResponses"]!)["Items"]!)[0]!;
        Assert.Equal((404, "/404.html", "404"), (error["ErrorCode"], error["ResponsePagePath"], error["ResponseCode"]));
        Assert.Equal(("index.html", "PriceClass_100", true), (config["DefaultRootObject"], config["PriceClass"], config["Enabled"]));
        Assert.Equal(("NoSuchDistribution", 404), (missing.Error?.Code, missing.Error?.Status));
    }

    private static Dictionary<string, object?> List(AwsResult answer) => (Dictionary<string, object?>)answer.Output!.Values.Single()!;
}
