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

    private static Dictionary<string, object?> List(AwsResult answer) => (Dictionary<string, object?>)answer.Output!.Values.Single()!;
}
