using System.Net;

namespace Portal.Tests.Infrastructure;

/// <summary>mta-sts-query, run inside the private network, judges policies the fixture DNS and web server publish.</summary>
public sealed class MtaStsQueryInPrivateNetworkTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>
{
    private const string PolicyPath = "/.well-known/mta-sts.txt";
    private const string Policy = "version: STSv1\nmode: enforce\nmx: mx1.valid.test\nmx: *.backup.valid.test\nmax_age: 86400\n";

    private PrivateNetwork Network => fixture.Network;

    [Fact]
    public async Task Hand_written_policy_and_multi_string_record_are_valid_with_their_mode_max_age_and_mx()
    {
        var address = await Network.AllocateAddressAsync();
        await PublishAsync("valid.test", address, Policy, "text/plain", "v=STSv1; ", "id=20240501T1200;");

        var result = await Network.QueryMtaStsAsync("valid.test");

        Assert.True(result.Status == MtaStsQueryStatus.Valid, result.Log);
        Assert.Equal("20240501T1200", result.PolicyId);
        Assert.Equal("STSv1", result.Version);
        Assert.Equal("enforce", result.Mode);
        Assert.Equal(86400, result.MaxAge);
        Assert.Equal(["mx1.valid.test", "*.backup.valid.test"], result.Mx);
    }

    [Fact]
    public async Task Policy_served_with_another_content_type_is_a_fetch_error()
    {
        var address = await Network.AllocateAddressAsync();
        await PublishAsync("json.test", address, Policy, "application/json", "v=STSv1; id=1;");

        var result = await Network.QueryMtaStsAsync("json.test");

        Assert.Equal(MtaStsQueryStatus.FetchError, result.Status);
        Assert.Null(result.PolicyId);
    }

    [Fact]
    public async Task Policy_behind_an_expired_certificate_is_a_fetch_error()
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(Zone("expired.test", address, "v=STSv1; id=1;"));
        await Network.StartWebAsync(new WebSite("mta-sts.expired.test", address)
            .WithCertificate(Network.CertificateAuthority.IssueExpired("mta-sts.expired.test"))
            .File(PolicyPath, Policy));

        var result = await Network.QueryMtaStsAsync("expired.test");

        Assert.Equal(MtaStsQueryStatus.FetchError, result.Status);
        Assert.Contains("certificate", result.Log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Domain_without_an_mta_sts_record_has_no_policy()
    {
        var address = await Network.AllocateAddressAsync();
        await PublishAsync("other.test", address, Policy, "text/plain", "v=STSv1; id=1;");

        var result = await Network.QueryMtaStsAsync("missing.test");

        Assert.Equal(MtaStsQueryStatus.None, result.Status);
    }

    [Fact]
    public async Task Changed_policy_with_a_new_id_is_seen_after_the_servers_restart()
    {
        var address = await Network.AllocateAddressAsync();
        await PublishAsync("change.test", address, Policy, "text/plain", "v=STSv1; id=first;");
        var before = await Network.QueryMtaStsAsync("change.test");
        var unchanged = await Network.QueryMtaStsAsync("change.test", knownPolicyId: "first");

        await PublishAsync("change.test", address, Policy.Replace("enforce", "testing", StringComparison.Ordinal), "text/plain", "v=STSv1; id=second;");
        var after = await Network.QueryMtaStsAsync("change.test", knownPolicyId: "first");

        Assert.Equal((MtaStsQueryStatus.Valid, "first", "enforce"), (before.Status, before.PolicyId, before.Mode));
        Assert.Equal(MtaStsQueryStatus.NotChanged, unchanged.Status);
        Assert.Equal((MtaStsQueryStatus.Valid, "second", "testing"), (after.Status, after.PolicyId, after.Mode));
    }

    private async Task PublishAsync(string domain, IPAddress address, string policy, string contentType, params string[] record)
    {
        await Network.StartDnsAsync(Zone(domain, address, record));
        await Network.StartWebAsync(new WebSite("mta-sts." + domain, address).File(PolicyPath, policy, contentType));
    }

    private static DnsZone Zone(string domain, IPAddress address, params string[] record) =>
        new DnsZone()
            .Txt("_mta-sts." + domain, record)
            .Mx(domain, "mx1." + domain, 10)
            .A("mta-sts." + domain, address);
}
