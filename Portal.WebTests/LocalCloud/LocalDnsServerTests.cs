using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Portal.LocalCloud.Dns;

namespace Portal.Tests.LocalCloud;

/// <summary>
/// The DNS server answers authoritatively, over UDP and TCP, for the hosted zones the stacks wrote: the site's alias
/// records answer the edge's loopback addresses, the MTA-STS TXT records their values; a name with nothing gets
/// NXDOMAIN, a known name without the type NODATA with the zone's SOA, and a name outside every zone REFUSED.
/// </summary>
public sealed class LocalDnsServerTests : IDisposable
{
    private readonly Route53Service _route53 = new();
    private readonly LocalDnsServer _dns;

    public LocalDnsServerTests()
    {
        var zone = _route53.AddZone("example.com");
        foreach (var stack in DeployedStacks.ExampleSite().Where(s => s.Kind != Portal.Core.Templates.StackKind.Shared))
        {
            DeployedStacks.PutRecords(_route53, zone, stack);
        }

        DeployedStacks.PutRecords(_route53, zone, DeployedStacks.ExampleMtaSts());
        _route53.AddRecord(zone, "example.com", "MX", "10 mx1.example.com");
        _route53.AddRecord(zone, "www.example.com", "CNAME", "test.docs.example.com");
        _route53.AddRecord(zone, "mx1.example.com", "A", "192.0.2.25");
        _dns = LocalDnsServer.Start(new DnsOptions(), _route53);
    }

    public void Dispose() => _dns.Dispose();

    private LookupClient Client(bool tcp = false) => new(new LookupClientOptions(new NameServer(_dns.EndPoint))
    {
        UseCache = false,
        UseTcpOnly = tcp,
        ThrowDnsErrors = false,
        Recursion = false,
        Retries = 0,
        Timeout = TimeSpan.FromSeconds(10),
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sites_alias_records_answer_the_edge_on_loopback(bool tcp)
    {
        var client = Client(tcp);

        var a = await client.QueryAsync("test.docs.example.com", QueryType.A);
        var aaaa = await client.QueryAsync("test.docs.example.com", QueryType.AAAA);

        Assert.True(a.Header.HasAuthorityAnswer);
        Assert.Equal(IPAddress.Loopback, a.Answers.ARecords().Single().Address);
        Assert.Equal(IPAddress.IPv6Loopback, aaaa.Answers.AaaaRecords().Single().Address);
        Assert.Equal(IPAddress.Loopback, (await client.QueryAsync("test.www.docs.example.com", QueryType.A)).Answers.ARecords().Single().Address);
    }

    [Fact]
    public async Task Txt_records_answer_their_strings()
    {
        var response = await Client().QueryAsync("_mta-sts.example.com", QueryType.TXT);

        Assert.StartsWith("v=STSv1; id=", response.Answers.TxtRecords().Single().Text.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mx_and_a_cname_followed_inside_the_zone_answer()
    {
        var mx = await Client().QueryAsync("example.com", QueryType.MX);
        var cname = await Client().QueryAsync("www.example.com", QueryType.A);

        Assert.Equal("mx1.example.com.", mx.Answers.MxRecords().Single().Exchange.Value);
        Assert.Equal("test.docs.example.com.", cname.Answers.CnameRecords().Single().CanonicalName.Value);
        Assert.Equal(IPAddress.Loopback, cname.Answers.ARecords().Single().Address);
    }

    [Fact]
    public async Task An_unknown_name_in_the_zone_is_nxdomain_with_the_soa()
    {
        var response = await Client().QueryAsync("nothing.example.com", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, response.Header.ResponseCode);
        Assert.Single(response.Authorities.SoaRecords());
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task A_known_name_without_the_type_is_nodata()
    {
        var response = await Client().QueryAsync("test.docs.example.com", QueryType.MX);

        Assert.Equal(DnsHeaderResponseCode.NoError, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.Single(response.Authorities.SoaRecords());
    }

    [Fact]
    public async Task A_name_above_records_exists_without_records()
    {
        var response = await Client().QueryAsync("docs.example.com", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NoError, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task A_name_outside_the_zones_is_refused()
    {
        var response = await Client().QueryAsync("example.org", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.Refused, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task A_record_added_later_is_answered_at_once()
    {
        _route53.AddRecord(_route53.Zones().Single().Id, "late.example.com", "A", "192.0.2.80");

        var response = await Client().QueryAsync("late.example.com", QueryType.A);

        Assert.Equal(IPAddress.Parse("192.0.2.80"), response.Answers.ARecords().Single().Address);
    }
}
