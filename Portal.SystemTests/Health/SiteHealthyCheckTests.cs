using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>A site with every check passing: dual stack, valid certificate, TLS 1.2+, HTTP/2, HTTP to HTTPS, A+ headers, compression.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class SiteHealthyCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task A_well_configured_site_passes_with_grade_A_plus()
    {
        var report = await fixture.SiteAsync("site-good.test");

        HasExactly(report,
            ("site.healthy", FindingSeverity.Pass, "site-good.test passes every site check."),
            ("site.headers-grade", FindingSeverity.Pass, "Security headers grade A+ (120 points, MDN HTTP Observatory scoring)."));
        Assert.Equal(("A+", 120, 0), (report.Grade, report.Score!.Value, report.ExitCode));
        Assert.NotNull(report.CertificateExpires);
    }
}
