using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>The site certificate: an invalid one is an error, one expiring within the warning period a warning.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class SiteCertificateCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task An_expired_certificate_is_an_error()
    {
        var report = await fixture.SiteAsync("site-expired.test");

        Has(report, "site.certificate-invalid", FindingSeverity.Error,
            $"site-expired.test: The certificate expired on {fixture.ExpiredSiteCertificate.NotAfter.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
        Lacks(report, "site.certificate-expiring");
        Assert.Equal(2, report.ExitCode);
    }

    [Fact]
    public async Task A_certificate_expiring_within_21_days_is_a_warning()
    {
        // Issued to expire 10.5 days from now; whole days are reported.
        var report = await fixture.SiteAsync("site-expiring.test");

        Has(report, "site.certificate-expiring", FindingSeverity.Warning,
            $"The certificate of site-expiring.test expires in 10 days ({fixture.ExpiringSiteCertificate.NotAfter.UtcDateTime:yyyy-MM-dd}).");
        Lacks(report, "site.certificate-invalid");
        Assert.Equal(fixture.ExpiringSiteCertificate.NotAfter.ToUnixTimeSeconds(), report.CertificateExpires!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_certificate_with_months_left_raises_nothing()
    {
        var report = await fixture.SiteAsync("site-good.test");

        Lacks(report, "site.certificate-expiring");
        Lacks(report, "site.certificate-invalid");
    }
}
