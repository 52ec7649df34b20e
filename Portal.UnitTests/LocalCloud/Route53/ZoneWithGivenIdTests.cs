using Portal.LocalCloud.Route53;

namespace Portal.Tests.LocalCloud.Route53;

/// <summary>
/// A hosted zone added with the id an existing account's zone has: found by that id, holding its names and taking
/// record changes; an id already in use is refused.
/// </summary>
public sealed class ZoneWithGivenIdTests
{
    [Fact]
    public void The_zone_is_found_by_its_id_and_takes_records()
    {
        var route53 = new Route53Service();
        Assert.Equal("Z0123456789ABC", route53.AddZone("example.com", "Z0123456789ABC"));

        var zone = route53.FindZone("/hostedzone/Z0123456789ABC");
        Assert.NotNull(zone);
        Assert.Equal("example.com.", zone.Name);
        Assert.Equal("Z0123456789ABC", route53.ZoneHolding("docs.example.com")?.Id);
        Assert.Null(route53.ChangeRecord("Z0123456789ABC", "CREATE", "docs.example.com", "A", 300, ["192.0.2.1"], null));
        Assert.Equal("No hosted zone found with ID: Z0000000000XYZ", route53.ChangeRecord("Z0000000000XYZ", "CREATE", "docs.example.com", "A", 300, ["192.0.2.1"], null));
    }

    [Fact]
    public void An_id_in_use_is_refused()
    {
        var route53 = new Route53Service();
        route53.AddZone("example.com", "Z0123456789ABC");

        Assert.Throws<InvalidOperationException>(() => route53.AddZone("example.org", "Z0123456789ABC"));
        Assert.Equal("example.com.", route53.FindZone("Z0123456789ABC")?.Name);
    }
}
