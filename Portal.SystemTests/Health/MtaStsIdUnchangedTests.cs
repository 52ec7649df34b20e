using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>
/// A served policy that changes while the <c>_mta-sts</c> id stays the same is an error (RFC 8461 section 3.1: senders
/// refetch only when the id changes), found by comparing with the previous check, and it lasts until the id changes.
/// </summary>
public sealed class MtaStsIdUnchangedTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>
{
    private const string Domain = "changing.test";
    private const string Unchanged = "The served policy changed but the _mta-sts id is still 'one': senders that cached the old policy will not fetch the new one.";

    private PrivateNetwork Network => fixture.Network;

    [Fact]
    public async Task A_new_body_under_the_old_id_is_an_error_until_the_id_changes()
    {
        var address = await Network.AllocateAddressAsync();
        var target = HealthTarget.Create(Domain, HealthCheckKind.Mail, null, "tester", DateTimeOffset.UtcNow);
        var enforce = HealthFixtureNetwork.EnforcePolicy(Domain);
        var longer = enforce.Replace("max_age: 1209600", "max_age: 2419200", StringComparison.Ordinal);

        await PublishAsync(address, "one", enforce);
        var first = await CheckAsync(target);
        await PublishAsync(address, "one", longer);
        var changed = await CheckAsync(target);
        var again = await CheckAsync(target);
        await PublishAsync(address, "two", longer);
        var renamed = await CheckAsync(target);

        HasExactly(first, Valid(Domain));
        var finding = Has(changed, "mta-sts.id-unchanged", FindingSeverity.Error, Unchanged);
        Assert.Equal("RFC 8461 section 3.1", finding.Reference);
        Assert.Equal(2419200, changed.MaxAge);
        Has(again, "mta-sts.id-unchanged", FindingSeverity.Error, Unchanged);
        HasExactly(renamed, Valid(Domain));
        Assert.Equal("", target.ActiveAlerts);
    }

    [Fact]
    public async Task The_same_body_under_the_same_id_raises_nothing()
    {
        var address = await Network.AllocateAddressAsync();
        var target = HealthTarget.Create(Domain, HealthCheckKind.Mail, null, "tester", DateTimeOffset.UtcNow);
        await PublishAsync(address, "one", HealthFixtureNetwork.EnforcePolicy(Domain));

        var first = await CheckAsync(target);
        var second = await CheckAsync(target);

        HasExactly(first, Valid(Domain));
        HasExactly(second, Valid(Domain));
        Assert.Equal(first.PolicyHash, second.PolicyHash);
    }

    /// <summary>Checks with the target's previous result and records the new one, as a scan does.</summary>
    private async Task<HealthReport> CheckAsync(HealthTarget target)
    {
        await using var engine = HealthFixtureNetwork.BuildEngine(Network);
        var report = await engine.GetRequiredService<HealthChecker>().CheckMailAsync(Domain, target.Previous);
        target.Record(report, DateTimeOffset.UtcNow.AddHours(1));
        return report;
    }

    private async Task PublishAsync(System.Net.IPAddress address, string id, string policy)
    {
        await Network.StartDnsAsync(new DnsZone()
            .Txt("_mta-sts." + Domain, $"v=STSv1; id={id};")
            .Txt("_smtp._tls." + Domain, $"v=TLSRPTv1; rua=mailto:tlsrpt@{Domain}")
            .Mx(Domain, "mx1." + Domain, 10)
            .A("mta-sts." + Domain, address));
        await Network.StartWebAsync(new WebSite("mta-sts." + Domain, address).File(HealthFixtureNetwork.PolicyPath, policy));
    }
}
