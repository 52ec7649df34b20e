using Portal.LocalCloud.Route53;
using Portal.LocalCloud.Wire;

namespace Portal.Tests.LocalCloud.Route53;

/// <summary>GetHostedZone describes a zone by id and answers NoSuchHostedZone (404) for an id the account does not hold.</summary>
public sealed class GetHostedZoneTests
{
    [Fact]
    public void A_zone_is_described_by_its_id_and_an_unknown_id_is_no_such_hosted_zone()
    {
        var route53 = new Route53Service();
        route53.AddZone("example.com", "Z0123456789ABC");

        var found = route53.Handle("GetHostedZone", Tree.Of(("Id", "Z0123456789ABC")));
        var zone = (Dictionary<string, object?>)found.Output!["HostedZone"]!;
        Assert.Equal("example.com.", zone["Name"]);
        Assert.Equal("/hostedzone/Z0123456789ABC", zone["Id"]);

        var missing = route53.Handle("GetHostedZone", Tree.Of(("Id", "Z9NOSUCHZONE")));
        Assert.Equal(new AwsError(404, "NoSuchHostedZone", "No hosted zone found with ID: Z9NOSUCHZONE"), missing.Error);
    }
}
