using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Portal.Tests.Infrastructure;

/// <summary>The fixture DNS server answers exactly the zone it was given, from the test process and inside the namespace.</summary>
public sealed class FixtureDnsServerTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>, IAsyncLifetime
{
    private static readonly IPAddress First = IPAddress.Parse("10.231.0.10");
    private static readonly IPAddress Second = IPAddress.Parse("10.231.0.11");
    private static readonly IPAddress Six = IPAddress.Parse("fd0a:231:0:1::10");

    private PrivateNetwork Network => fixture.Network;

    public Task InitializeAsync() => Network.StartDnsAsync(new DnsZone()
        .A("www.example.test", First)
        .A("www.example.test", Second)
        .Aaaa("www.example.test", Six)
        .Txt("_mta-sts.example.test", "v=STSv1; ", "id=20240501;")
        .Txt("quoted.example.test", "say \"hi\" \\ bye, ok")
        .Txt("_mta-sts.target.test", "v=STSv1; id=target;")
        .Cname("_mta-sts.alias.test", "_mta-sts.target.test")
        .Mx("example.test", "mx2.example.test", 20)
        .Mx("example.test", "mx1.example.test", 10));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Multi_string_txt_record_keeps_its_parts()
    {
        var response = await Network.CreateLookupClient().QueryAsync("_mta-sts.example.test", QueryType.TXT);

        var record = Assert.Single(response.Answers.TxtRecords());
        Assert.Equal(["v=STSv1; ", "id=20240501;"], record.Text);
    }

    [Fact]
    public async Task Txt_record_keeps_quotes_backslashes_and_commas()
    {
        var response = await Network.CreateLookupClient().QueryAsync("quoted.example.test", QueryType.TXT);

        Assert.Equal(["say \"hi\" \\ bye, ok"], Assert.Single(response.Answers.TxtRecords()).Text);
    }

    [Fact]
    public async Task Mx_records_carry_host_and_preference()
    {
        var response = await Network.CreateLookupClient().QueryAsync("example.test", QueryType.MX);

        var mx = response.Answers.MxRecords().OrderBy(r => r.Preference).Select(r => (r.Exchange.Value, (int)r.Preference));
        Assert.Equal([("mx1.example.test.", 10), ("mx2.example.test.", 20)], mx);
    }

    [Fact]
    public async Task A_and_aaaa_records_list_every_address()
    {
        var lookup = Network.CreateLookupClient();

        var ipv4 = await lookup.QueryAsync("www.example.test", QueryType.A);
        var ipv6 = await lookup.QueryAsync("www.example.test", QueryType.AAAA);

        Assert.Equal([First, Second], ipv4.Answers.ARecords().Select(r => r.Address).OrderBy(a => a.ToString()));
        Assert.Equal([Six], ipv6.Answers.AaaaRecords().Select(r => r.Address));
    }

    [Fact]
    public async Task Cname_is_answered_with_its_target_records()
    {
        var response = await Network.CreateLookupClient().QueryAsync("_mta-sts.alias.test", QueryType.TXT);

        Assert.Equal("_mta-sts.target.test.", Assert.Single(response.Answers.OfType<CNameRecord>()).CanonicalName.Value);
        Assert.Equal(["v=STSv1; id=target;"], Assert.Single(response.Answers.TxtRecords()).Text);
    }

    [Fact]
    public async Task Unknown_name_in_the_test_domain_is_nxdomain()
    {
        var response = await Network.CreateLookupClient().QueryAsync("nothing.example.test", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task Known_name_without_the_asked_type_is_an_empty_answer()
    {
        var response = await Network.CreateLookupClient().QueryAsync("example.test", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NoError, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task Names_outside_the_test_domain_are_refused_never_forwarded()
    {
        var response = await Network.CreateLookupClient().QueryAsync("example.com", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.Refused, response.Header.ResponseCode);
    }

    [Fact]
    public async Task Resolver_inside_the_namespace_uses_the_fixture_server_and_the_host_file_is_untouched()
    {
        var hostResolvConf = await File.ReadAllTextAsync("/etc/resolv.conf");

        var inside = await Network.RunAsync("getent", ["ahostsv4", "www.example.test"]);
        var insideResolvConf = await Network.RunAsync("cat", ["/etc/resolv.conf"]);
        var unknown = await Network.RunAsync("getent", ["ahostsv4", "nothing.example.test"]);

        Assert.Equal(0, inside.ExitCode);
        Assert.Contains("10.231.0.10", inside.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("10.231.0.11", inside.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("nameserver 127.0.0.1", insideResolvConf.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(hostResolvConf, insideResolvConf.StandardOutput);
        Assert.Equal(hostResolvConf, await File.ReadAllTextAsync("/etc/resolv.conf"));
    }
}
