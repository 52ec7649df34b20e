using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

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
