using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>TLS below 1.2: a server offering only TLS 1.0 fails the modern handshake and is caught by the legacy ClientHello.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class SiteTlsVersionCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task A_TLS_1_0_only_server_fails_the_modern_handshake_and_accepts_the_legacy_one()
    {
        var report = await fixture.SiteAsync("site-tls10.test");

        HasExactly(report,
            ("site.tls-failed", FindingSeverity.Error, "No TLS 1.2 or newer connection to site-tls10.test."),
            ("site.legacy-tls", FindingSeverity.Error, "site-tls10.test still accepts TLS 1.0 or 1.1, which RFC 8996 forbids."));
        Assert.StartsWith("TLS with site-tls10.test at ", report.Findings[0].Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain("see inner exception", report.Findings[0].Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_modern_server_refuses_the_legacy_hello()
    {
        var report = await fixture.SiteAsync("site-good.test");

        Lacks(report, "site.legacy-tls");
        Lacks(report, "site.tls-failed");
    }
}
