using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

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
