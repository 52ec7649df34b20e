using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

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
