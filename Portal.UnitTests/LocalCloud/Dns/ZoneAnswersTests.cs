using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Portal.LocalCloud.Dns;

namespace Portal.Tests.LocalCloud.Dns;

/// <summary>
/// Answers from hosted zones: the most specific public zone answers, a wildcard covers a name with no records, a
/// CNAME is followed across zones, an alias to CloudFront answers the configured edge address, TXT values keep
/// their strings, a zone's own SOA is used when it has one, and a private zone answers nothing.
/// </summary>
public sealed class ZoneAnswersTests
{
    private static DnsQuestion Question(string name, RecordType type) => new(DomainName.Parse(name), type, RecordClass.INet);

    private static (Route53Service Route53, string Parent, string Child) Zones()
    {
        var route53 = new Route53Service();
        var parent = route53.AddZone("example.com");
        var child = route53.AddZone("dev.example.com");
        route53.AddRecord(parent, "www.example.com", "A", "192.0.2.1");
        route53.AddRecord(parent, "*.apps.example.com", "A", "192.0.2.2");
        route53.AddRecord(parent, "known.apps.example.com", "TXT", "\"known\"");
        route53.AddRecord(parent, "alias.example.com", "A", aliasTarget: "d111111abcdef8.cloudfront.net.");
        route53.AddRecord(parent, "go.example.com", "CNAME", "site.dev.example.com");
        route53.AddRecord(parent, "txt.example.com", "TXT", "\"v=spf1 -all\" \"second \\\"quoted\\\"\"");
        route53.AddRecord(child, "site.dev.example.com", "A", "192.0.2.3");
        route53.AddRecord(child, "dev.example.com", "SOA", "ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 7 7200 900 1209600 86400");
        return (route53, parent, child);
    }

    private static ZoneAnswer Ask(Route53Service route53, string name, RecordType type, DnsOptions? options = null) =>
        ZoneAnswers.Answer(route53.Zones(), Question(name, type), options ?? new DnsOptions());

    [Fact]
    public void The_most_specific_zone_answers_with_its_own_soa()
    {
        var (route53, _, _) = Zones();

        var missing = Ask(route53, "nothing.dev.example.com", RecordType.A);

        Assert.Equal(ReturnCode.NxDomain, missing.Code);
        var soa = Assert.IsType<SoaRecord>(Assert.Single(missing.Authority));
        Assert.Equal(7u, soa.SerialNumber);
        Assert.Equal("dev.example.com.", soa.Name.ToString());
    }

    [Fact]
    public void A_wildcard_covers_a_name_without_records_but_not_one_with_records()
    {
        var (route53, _, _) = Zones();

        var covered = Ask(route53, "any.apps.example.com", RecordType.A);
        var known = Ask(route53, "known.apps.example.com", RecordType.A);

        Assert.Equal(IPAddress.Parse("192.0.2.2"), Assert.IsType<ARecord>(Assert.Single(covered.Answers)).Address);
        Assert.Equal("any.apps.example.com.", covered.Answers[0].Name.ToString());
        Assert.Equal(ReturnCode.NoError, known.Code);
        Assert.Empty(known.Answers);
    }

    [Fact]
    public void A_cname_is_followed_into_another_zone()
    {
        var (route53, _, _) = Zones();

        var answer = Ask(route53, "go.example.com", RecordType.A);

        Assert.IsType<CNameRecord>(answer.Answers[0]);
        Assert.Equal(IPAddress.Parse("192.0.2.3"), Assert.IsType<ARecord>(answer.Answers[1]).Address);
    }

    [Fact]
    public void An_alias_to_cloudfront_answers_the_configured_edge_address()
    {
        var (route53, _, _) = Zones();
        var options = new DnsOptions { EdgeAddressV4 = IPAddress.Parse("127.0.0.2") };

        var a = Ask(route53, "alias.example.com", RecordType.A, options);
        var aaaa = Ask(route53, "alias.example.com", RecordType.Aaaa, options);

        Assert.Equal(IPAddress.Parse("127.0.0.2"), Assert.IsType<ARecord>(Assert.Single(a.Answers)).Address);
        Assert.Equal(60, a.Answers[0].TimeToLive);
        Assert.Empty(aaaa.Answers);
        Assert.Equal(ReturnCode.NoError, aaaa.Code);
    }

    [Fact]
    public void Txt_values_keep_each_string()
    {
        var (route53, _, _) = Zones();

        var answer = Ask(route53, "txt.example.com", RecordType.Txt);

        Assert.Equal(["v=spf1 -all", "second \"quoted\""], Assert.IsType<TxtRecord>(Assert.Single(answer.Answers)).TextParts);
    }

    [Fact]
    public void A_private_zone_answers_nothing()
    {
        var route53 = new Route53Service();
        var zone = route53.AddZone("internal.example", isPrivate: true);
        route53.AddRecord(zone, "db.internal.example", "A", "10.0.0.5");

        Assert.Equal(ReturnCode.Refused, Ask(route53, "db.internal.example", RecordType.A).Code);
    }
}
