using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>
/// A portal site's check asks for a path the site does not have and judges the answer against the site's setting: the
/// 404 page with 404, index.html with 200 in single-page mode, or 403/404 with none.
/// </summary>
public sealed class SiteMissingPathCheckTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>
{
    private const string NotFoundBody = "<!doctype html><title>Not here</title><p>This page does not exist.</p>";
    private const string IndexBody = "<!doctype html><title>App</title><div id=app></div>";

    private PrivateNetwork Network => fixture.Network;

    [Fact]
    public async Task The_sites_404_page_answered_with_404_passes()
    {
        var report = await CheckAsync("pages.test", 404, NotFoundBody, new MissingPathExpectation(404, "/404.html", Sha(NotFoundBody)));

        Has(report, MissingPathCheck.FindingId, FindingSeverity.Pass, "A missing path answers the 404 page /404.html with 404, as the site is set.");
    }

    [Fact]
    public async Task CloudFronts_403_where_a_404_page_is_set_is_an_error()
    {
        var report = await CheckAsync("pages.test", 403, "<Error><Code>AccessDenied</Code></Error>", new MissingPathExpectation(404, "/404.html", Sha(NotFoundBody)));

        Has(report, MissingPathCheck.FindingId, FindingSeverity.Error, "A missing path answers 403, but the site is set to answer the 404 page /404.html with 404.");
    }

    [Fact]
    public async Task A_404_with_another_body_than_the_sites_page_is_an_error()
    {
        var report = await CheckAsync("pages.test", 404, "<html>nginx default</html>", new MissingPathExpectation(404, "/404.html", Sha(NotFoundBody)));

        Has(report, MissingPathCheck.FindingId, FindingSeverity.Error,
            "A missing path answers 404, but not with /404.html of the site's content: the body differs from that page's.");
    }

    [Fact]
    public async Task Single_page_mode_answering_index_html_with_200_passes()
    {
        var report = await CheckAsync("app.test", 200, IndexBody, new MissingPathExpectation(200, "/index.html", Sha(IndexBody)));

        Has(report, MissingPathCheck.FindingId, FindingSeverity.Pass, "A missing path answers /index.html with 200 (single-page mode), as the site is set.");
    }

    [Fact]
    public async Task Without_a_setting_a_404_is_information()
    {
        var report = await CheckAsync("plain.test", 404, "not found", new MissingPathExpectation(null, null, null));

        Has(report, MissingPathCheck.FindingId, FindingSeverity.Info,
            "A missing path answers 404: the site sets no 404 page or single-page mode, so visitors see CloudFront's error.");
    }

    private async Task<HealthReport> CheckAsync(string host, int status, string body, MissingPathExpectation expected)
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A(host, address));
        await Network.StartWebAsync(new WebSite(host, address).WithHttp2().File("/", "<!doctype html><title>Home</title>", "text/html").AnswerUnrouted(status, body));
        await using var engine = HealthFixtureNetwork.BuildEngine(Network);
        return await engine.GetRequiredService<HealthChecker>().CheckSiteAsync(host, null, expected);
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
