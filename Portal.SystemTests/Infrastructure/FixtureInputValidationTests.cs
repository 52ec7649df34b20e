using System.Net;

namespace Portal.Tests.Infrastructure;

/// <summary>Zones and sites refuse what dnsmasq or nginx could not carry faithfully, naming the field, instead of serving something else.</summary>
public sealed class FixtureInputValidationTests
{
    private static readonly IPAddress Address = IPAddress.Parse("10.231.0.4");

    [Fact]
    public void Zone_refuses_names_outside_its_local_domains_and_malformed_names()
    {
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new DnsZone().A("example.com", Address)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new DnsZone().A("bad..example.test", Address)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new DnsZone().Txt("sp ace.test", "x")).ParamName);
        new DnsZone("example.com").A("www.example.com", Address);
    }

    [Fact]
    public void Zone_refuses_txt_parts_dns_or_dnsmasq_cannot_hold()
    {
        Assert.Contains("255", Assert.Throws<ArgumentException>(() => new DnsZone().Txt("t.test", new string('a', 256))).Message, StringComparison.Ordinal);
        Assert.Contains("printable ASCII", Assert.Throws<ArgumentException>(() => new DnsZone().Txt("t.test", "line\nbreak")).Message, StringComparison.Ordinal);
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => new DnsZone().Txt("t.test")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zone_refuses_addresses_of_the_wrong_family()
    {
        Assert.Contains("not an IPv4", Assert.Throws<ArgumentException>(() => new DnsZone().A("a.test", IPAddress.IPv6Loopback)).Message, StringComparison.Ordinal);
        Assert.Contains("not an IPv6", Assert.Throws<ArgumentException>(() => new DnsZone().Aaaa("a.test", Address)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dnsmasq_config_escapes_txt_quotes_and_backslashes_and_makes_the_test_domain_local()
    {
        var config = new DnsZone().Txt("q.test", "a\"b\\c", "second").RenderDnsmasqConfig([IPAddress.Loopback], "/tmp/x.pid");

        Assert.Contains("txt-record=q.test,\"a\\\"b\\\\c\",\"second\"\n", config, StringComparison.Ordinal);
        Assert.Contains("local=/test/\n", config, StringComparison.Ordinal);
        Assert.Contains("no-resolv\n", config, StringComparison.Ordinal);
    }

    [Fact]
    public void Site_refuses_header_injection_bad_paths_and_bad_statuses()
    {
        var site = new WebSite("s.test", Address);

        Assert.Contains("control character", Assert.Throws<ArgumentException>(() => site.Header("X-A", "v\r\nX-B: injected")).Message, StringComparison.Ordinal);
        Assert.Contains("HTTP token", Assert.Throws<ArgumentException>(() => site.Header("Bad Name", "v")).Message, StringComparison.Ordinal);
        Assert.Contains("must start with '/'", Assert.Throws<ArgumentException>(() => site.File("relative", "x")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => site.Redirect("/r", 200, "https://x.test/"));
        Assert.Throws<ArgumentOutOfRangeException>(() => site.Respond("/r", 301));
        site.File("/dup", "x");
        Assert.Contains("already has a route", Assert.Throws<ArgumentException>(() => site.File("/dup", "y")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sites_sharing_an_address_must_agree_on_tls_settings_and_names_must_be_unique()
    {
        var folder = Directory.CreateTempSubdirectory("nginx-config-");
        using var ca = new TestCertificateAuthority(Path.Combine(folder.FullName, "ca"));
        try
        {
            var differing = Assert.Throws<ArgumentException>(() => NginxConfig.Write(
                folder.FullName,
                [new WebSite("a.test", Address), new WebSite("b.test", Address).WithHttp2()],
                s => ca.Issue([.. s.AllNames])));
            var duplicate = Assert.Throws<ArgumentException>(() => NginxConfig.Write(
                folder.FullName,
                [new WebSite("a.test", Address), new WebSite("b.test", Address).Alias("a.test")],
                s => ca.Issue([.. s.AllNames])));

            Assert.Contains("differ in HTTP/2 or TLS versions", differing.Message, StringComparison.Ordinal);
            Assert.Contains("served by two sites", duplicate.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Network_refuses_sites_on_addresses_it_did_not_allocate()
    {
        await using var network = await PrivateNetwork.CreateAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => network.StartWebAsync(new WebSite("a.test", IPAddress.Parse("127.0.0.2"))));

        Assert.Contains("not an address of this network", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllocateAddressAsync", error.Message, StringComparison.Ordinal);
    }
}
