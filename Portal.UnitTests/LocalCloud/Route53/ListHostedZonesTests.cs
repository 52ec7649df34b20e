using Portal.LocalCloud.Route53;
using Portal.LocalCloud.Wire;

namespace Portal.Tests.LocalCloud.Route53;

/// <summary>
/// ListHostedZones lists every zone of the account, at most 100 a page; while IsTruncated, NextMarker names the next
/// page's first zone, given back as marker.
/// </summary>
public sealed class ListHostedZonesTests
{
    [Fact]
    public void Every_zone_is_listed_page_by_page_through_next_marker()
    {
        var route53 = new Route53Service();
        route53.AddZone("example.com", "Z0000000000001");
        route53.AddZone("example.org", "Z0000000000002");
        route53.AddZone("example.net", "Z0000000000003");

        var first = route53.Handle("ListHostedZones", Tree.Of(("MaxItems", "2"))).Output!;
        var second = route53.Handle("ListHostedZones", Tree.Of(("MaxItems", "2"), ("Marker", (string)first["NextMarker"]!))).Output!;

        Assert.Equal(["example.com.", "example.org."], Names(first));
        Assert.Equal((true, "Z0000000000003", "2"), ((bool)first["IsTruncated"]!, (string?)first["NextMarker"], (string?)first["MaxItems"]));
        Assert.Equal("", (string?)first.GetValueOrDefault("Marker")); // a required member of the answer, empty on the first page
        Assert.Equal(["example.net."], Names(second));
        Assert.Equal((false, null, "Z0000000000003"), ((bool)second["IsTruncated"]!, (string?)second.GetValueOrDefault("NextMarker"), (string?)second["Marker"]));
    }

    [Fact]
    public void More_than_100_items_asked_for_still_gives_100()
    {
        var route53 = new Route53Service();
        for (var i = 0; i < 101; i++)
        {
            route53.AddZone($"zone{i}.example", $"Z{i:D13}");
        }

        var page = route53.Handle("ListHostedZones", Tree.Of(("MaxItems", "300"))).Output!;

        Assert.Equal(100, Names(page).Count);
        Assert.True((bool)page["IsTruncated"]!);
    }

    private static List<string?> Names(Dictionary<string, object?> output) =>
        ((List<object?>)output["HostedZones"]!).Select(z => (string?)((Dictionary<string, object?>)z!)["Name"]).ToList();
}
