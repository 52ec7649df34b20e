using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

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
