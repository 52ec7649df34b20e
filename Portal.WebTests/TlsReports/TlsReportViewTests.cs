using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Components.TlsReports;
using Portal.Core.TlsReports;
using Portal.Infrastructure.TlsReports;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.TlsReports;

/// <summary>The report page of a mail domain shows sessions by day, by MX, by result type and by sender, and a report as received.</summary>
public sealed class TlsReportViewTests : IAsyncLifetime
{
    private const string Domain = "view.example.com";
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task The_domains_reports_are_shown_added_up_and_one_can_be_read_raw()
    {
        await _portal.Requests.CreateAsync(TestSpecs.MtaSts(Domain), TestActors.Alice, submit: true);
        var intake = new TlsReportIntake(_portal.Db, new TlsReportSchema(), _portal.Clock, NullLogger<TlsReportIntake>.Instance);
        foreach (var json in new[]
        {
            SampleTlsReports.Daily(Domain, new DateOnly(2026, 11, 20), 400, [new("certificate-host-mismatch", "mx2." + Domain, 4)]),
            SampleTlsReports.Daily(Domain, new DateOnly(2026, 11, 21), 600, [new("starttls-not-supported", "mx1." + Domain, 2)], organization: "Microsoft Corporation", reportId: "ms-21"),
        })
        {
            Assert.Equal(IntakeOutcome.Stored, (await intake.ReceiveAsync(Domain, Encoding.UTF8.GetBytes(json), TlsReportEncoding.Json)).Outcome);
        }

        _portal.Bunit.Services.AddSingleton(new TlsReportQueries(_portal.Db));
        var cut = _portal.Bunit.Render<TlsReportView>(p => p.Add(x => x.MailDomain, Domain));

        cut.WaitForAssertion(() => Assert.Contains("2 reports: 1,000 successful and 6 failed sessions", cut.Find("[data-totals]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["2026-11-20 400 4", "2026-11-21 600 2"], Rows(cut, "[data-day]"));
        Assert.Equal([$"mx1.{Domain} 1,000 2", $"mx2.{Domain} 1,000 4"], Rows(cut, "[data-mx]"));
        Assert.Equal(["certificate-host-mismatch 4", "starttls-not-supported 2"], Rows(cut, "[data-result-type]"));
        Assert.Equal(["Google Inc. 1 400 4", "Microsoft Corporation 1 600 2"], Rows(cut, "[data-organization]"));

        cut.Find("[data-show-raw='ms-21']").Click();
        cut.WaitForAssertion(() => Assert.Contains("\"report-id\":\"ms-21\"", cut.Find("[data-raw-report='ms-21']").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void A_domain_without_reports_says_so()
    {
        _portal.Bunit.Services.AddSingleton(new TlsReportQueries(_portal.Db));

        var cut = _portal.Bunit.Render<TlsReportView>(p => p.Add(x => x.MailDomain, Domain));

        cut.WaitForAssertion(() => Assert.Contains("No TLS reports received for view.example.com yet", cut.Find("[data-no-reports]").TextContent, StringComparison.Ordinal));
    }

    private static List<string> Rows(IRenderedComponent<TlsReportView> cut, string selector) =>
        cut.FindAll(selector).Select(row => string.Join(' ', row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))).ToList();
}
