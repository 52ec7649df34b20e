using Portal.Core.Health;
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

/// <summary>HTTP/2 through ALPN: its absence is a warning.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class SiteHttp2CheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task A_server_without_HTTP2_is_a_warning_naming_what_ALPN_gave()
    {
        var report = await fixture.SiteAsync("site-no-h2.test");

        HasExactly(report,
            ("site.no-http2", FindingSeverity.Warning, "site-no-h2.test does not offer HTTP/2 (ALPN gave http/1.1)."),
            ("site.headers-grade", FindingSeverity.Pass, "Security headers grade A+ (120 points, MDN HTTP Observatory scoring)."));
    }

    [Fact]
    public async Task A_server_with_HTTP2_raises_nothing()
    {
        Lacks(await fixture.SiteAsync("site-good.test"), "site.no-http2");
    }
}

/// <summary>Plain HTTP: a redirect to HTTPS on the same host is expected; without one it is a warning and costs 20 grade points.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class SiteHttpRedirectCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task Plain_HTTP_serving_the_page_is_a_warning_and_lowers_the_grade()
    {
        var report = await fixture.SiteAsync("site-http-redirect-missing.test");

        HasExactly(report,
            ("site.http-no-redirect", FindingSeverity.Warning, "Plain HTTP answers 200 without redirecting to HTTPS."),
            ("site.headers-grade", FindingSeverity.Warning, "Security headers grade B+ (80 points, MDN HTTP Observatory scoring)."),
            ("site.header-redirection-missing", FindingSeverity.Warning, "Plain HTTP does not redirect to HTTPS. Redirect every plain-HTTP request to HTTPS on the same host."));
    }

    [Fact]
    public async Task A_redirect_to_HTTPS_raises_nothing()
    {
        var report = await fixture.SiteAsync("site-good.test");

        Lacks(report, "site.http-no-redirect");
        Lacks(report, "site.http-redirect-wrong");
        Assert.Contains("Redirection: redirection-to-https (0)", report.Findings.Single(f => f.Id == "site.headers-grade").Evidence, StringComparison.Ordinal);
    }
}

/// <summary>The security headers the site serves, graded with the MDN HTTP Observatory scoring.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class SiteHeaderGradeCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task A_site_without_security_headers_grades_D_with_each_penalty_listed()
    {
        var report = await fixture.SiteAsync("site-bare-headers.test");

        HasExactly(report,
            ("site.headers-grade", FindingSeverity.Error, "Security headers grade D (30 points, MDN HTTP Observatory scoring)."),
            ("site.header-csp-not-implemented", FindingSeverity.Warning, "No Content-Security-Policy header is set. Set a Content-Security-Policy, e.g. default-src 'self'; object-src 'none'; frame-ancestors 'none'."),
            ("site.header-hsts-not-implemented", FindingSeverity.Warning, "No Strict-Transport-Security header is set. Set Strict-Transport-Security: max-age=31536000; includeSubDomains; preload."),
            ("site.header-x-frame-options-not-implemented", FindingSeverity.Warning, "Neither X-Frame-Options nor CSP frame-ancestors is set, so other sites can frame this one (clickjacking). Set frame-ancestors 'none' in the CSP, or X-Frame-Options: DENY."),
            ("site.header-x-content-type-options-not-implemented", FindingSeverity.Warning, "No X-Content-Type-Options header is set. Set X-Content-Type-Options: nosniff."));
        Assert.Equal(("D", 30, 2), (report.Grade, report.Score!.Value, report.ExitCode));
    }
}

/// <summary>Compression of text bodies over 1,000 bytes to a client that accepts br and gzip.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class SiteCompressionCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task An_uncompressed_page_is_a_warning()
    {
        var report = await fixture.SiteAsync("site-no-compression.test");

        HasExactly(report,
            ("site.headers-grade", FindingSeverity.Pass, "Security headers grade A+ (120 points, MDN HTTP Observatory scoring)."),
            ("site.no-compression", FindingSeverity.Warning,
                $"The home page of site-no-compression.test ({System.Text.Encoding.UTF8.GetByteCount(HealthFixtureNetwork.HomePage)} bytes of text/html; charset=utf-8) is sent uncompressed to a client that accepts br and gzip."));
    }

    [Fact]
    public async Task A_gzip_compressed_page_raises_nothing()
    {
        Lacks(await fixture.SiteAsync("site-good.test"), "site.no-compression");
    }
}
