using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.TlsReports;
using Portal.Tests.Infrastructure;
using static Portal.Tests.TlsReports.TlsReportPosting;

namespace Portal.Tests.TlsReports;

/// <summary>
/// Senders post reports to <c>/tlsrpt/v1/{domain}</c> as RFC 8460 section 5.3 says: gzip or JSON reports for a managed
/// mail domain are kept once each, with their figures; broken, oversized and bombed bodies are refused with a 4xx that
/// says why, and nothing of them is kept.
/// </summary>
public sealed class TlsReportIntakeTests
{
    private const string Domain = "mail-intake.example.com";

    [Fact]
    public async Task Gzip_and_json_reports_are_kept_with_their_figures()
    {
        await using var portal = new PortalFactory();
        await ManagedDomainAsync(portal, Domain);
        using var client = portal.CreateClient();

        using var json = await PostAsync(client, Domain, Encoding.UTF8.GetBytes(SampleTlsReports.RfcExample(Domain)), "application/tlsrpt+json");
        using var gzip = await PostAsync(client, Domain,
            SampleTlsReports.Gzip(SampleTlsReports.Daily(Domain, new DateOnly(2026, 12, 1), 900, [new("certificate-host-mismatch", "mx2." + Domain, 7)])),
            "application/tlsrpt+gzip; charset=utf-8");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (json.StatusCode, gzip.StatusCode));
        var stored = (await StoredAsync(portal, Domain)).OrderBy(r => r.StartDate).ToList();
        Assert.Equal(
            [("5065427c-23d3-47ca-b6e0-946ea0e8c4be", "Company-X", 5326L, 303L, "json"), ($"2026-12-01T00:00:00Z_{Domain}", "Google Inc.", 900L, 7L, "gzip")],
            stored.Select(r => (r.ReportId, r.Organization, r.SuccessfulSessions, r.FailedSessions, r.Encoding)));
        Assert.Equal(SampleTlsReports.RfcExample(Domain), stored[0].RawJson);

        var summary = await portal.Services.GetRequiredService<TlsReportQueries>().SummaryAsync(Domain);
        Assert.Equal((6226L, 310L), (summary.Totals.Successful, summary.Totals.Failed));
        Assert.Contains(summary.ByResultType, r => r.ResultType == "certificate-host-mismatch" && r.FailedSessions == 7);
    }

    [Fact]
    public async Task A_report_sent_again_is_acknowledged_and_kept_once()
    {
        await using var portal = new PortalFactory();
        await ManagedDomainAsync(portal, Domain);
        using var client = portal.CreateClient();
        var body = SampleTlsReports.Gzip(SampleTlsReports.Daily(Domain, new DateOnly(2026, 12, 2), 50));

        using var first = await PostAsync(client, Domain, body, "application/tlsrpt+gzip");
        using var again = await PostAsync(client, Domain, body, "application/tlsrpt+gzip");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Contains("already received", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await StoredAsync(portal, Domain));
    }

    [Fact]
    public async Task Malformed_reports_are_refused_with_the_reason_and_not_kept()
    {
        await using var portal = new PortalFactory();
        await ManagedDomainAsync(portal, Domain);
        using var client = portal.CreateClient();

        using var notJson = await PostAsync(client, Domain, "this is not json"u8.ToArray(), "application/tlsrpt+json");
        using var missingId = await PostAsync(client, Domain,
            SampleTlsReports.Gzip(SampleTlsReports.RfcExample(Domain).Replace("\"report-id\"", "\"report-number\"", StringComparison.Ordinal)), "application/tlsrpt+gzip");
        using var otherDomain = await PostAsync(client, Domain, Encoding.UTF8.GetBytes(SampleTlsReports.RfcExample("other.example.net")), "application/tlsrpt+json");
        using var notGzip = await PostAsync(client, Domain, Encoding.UTF8.GetBytes(SampleTlsReports.RfcExample(Domain)), "application/tlsrpt+gzip");

        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest],
            new[] { notJson.StatusCode, missingId.StatusCode, otherDomain.StatusCode, notGzip.StatusCode });
        Assert.Contains("The report is not JSON", await notJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("report-id", await missingId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("about other.example.net, not " + Domain, await otherDomain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("not valid gzip", await notGzip.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await StoredAsync(portal, Domain));
    }

    [Fact]
    public async Task Oversized_and_bombed_bodies_are_refused_as_too_large_and_not_kept()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["TlsReports:MaxBodyBytes"] = "262144",
            ["TlsReports:MaxReportBytes"] = "1048576",
        });
        await ManagedDomainAsync(portal, Domain);
        using var client = portal.CreateClient();

        using var oversized = await PostAsync(client, Domain, new byte[300_000], "application/tlsrpt+json");
        using var bomb = await PostAsync(client, Domain, SampleTlsReports.Bomb(64L * 1024 * 1024), "application/tlsrpt+gzip");

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge), (oversized.StatusCode, bomb.StatusCode));
        Assert.Contains("larger than 1048576 bytes once decompressed", await bomb.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(portal, Domain));
    }

    [Fact]
    public async Task Unmanaged_domains_and_other_media_types_are_refused()
    {
        await using var portal = new PortalFactory();
        await ManagedDomainAsync(portal, Domain);
        using var client = portal.CreateClient();
        var body = Encoding.UTF8.GetBytes(SampleTlsReports.RfcExample("stranger.example.org"));

        using var unknown = await PostAsync(client, "stranger.example.org", body, "application/tlsrpt+json");
        using var wrongType = await PostAsync(client, Domain, body, "text/plain");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.UnsupportedMediaType), (unknown.StatusCode, wrongType.StatusCode));
        Assert.Contains("takes no TLS reports for stranger.example.org", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("application/tlsrpt+gzip", await wrongType.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sender_posting_too_often_is_told_to_wait()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["TlsReports:PermitLimit"] = "2", ["TlsReports:Window"] = "01:00:00" });
        await ManagedDomainAsync(portal, Domain);
        using var client = portal.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await PostAsync(client, Domain, Encoding.UTF8.GetBytes(SampleTlsReports.Lenient(Domain, $"r-{i}")), "application/tlsrpt+json");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(2, (await StoredAsync(portal, Domain)).Count);
    }
}
