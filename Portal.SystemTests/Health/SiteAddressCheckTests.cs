using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>A and AAAA records: none is an error, one family missing is a warning.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class SiteAddressCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task No_AAAA_record_is_a_warning()
    {
        var report = await fixture.SiteAsync("site-no-aaaa.test");

        Has(report, "site.no-ipv6", FindingSeverity.Warning, "site-no-aaaa.test has no AAAA record: the site is not reachable over IPv6.");
        Lacks(report, "site.no-ipv4");
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task No_A_record_is_a_warning_and_the_site_is_checked_over_IPv6()
    {
        var report = await fixture.SiteAsync("site-no-a.test");

        Has(report, "site.no-ipv4", FindingSeverity.Warning, "site-no-a.test has no A record: IPv4-only clients cannot reach it.");
        Assert.Equal("A+", report.Grade);
    }

    [Fact]
    public async Task No_address_at_all_is_an_error_and_ends_the_check()
    {
        var report = await fixture.SiteAsync("site-no-address.test");

        HasExactly(report, ("site.no-address", FindingSeverity.Error, "site-no-address.test has no A or AAAA record."));
    }
}
