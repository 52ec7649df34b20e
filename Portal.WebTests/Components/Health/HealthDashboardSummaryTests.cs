using Bunit;
using Portal.Components.Pages;
using Portal.Core.Health;

namespace Portal.Tests.Components.Health;

/// <summary>
/// The dashboard says at a glance how many sites and mail domains are healthy, which certificates expire within the
/// warning window, each mail domain's MTA-STS mode and TLS-RPT record, and the sites' grades.
/// </summary>
public sealed class HealthDashboardSummaryTests : IAsyncLifetime
{
    private HealthPortal _health = default!;

    public async Task InitializeAsync() => _health = await HealthPortal.CreateAsync();

    public async Task DisposeAsync() => await _health.DisposeAsync();

    [Fact]
    public async Task Counts_expiring_certificates_modes_and_grades_are_shown()
    {
        var now = _health.Now;
        await _health.CheckedAsync("a.example.com", HealthCheckKind.Site, FindingSeverity.Pass, "A+", certificate: now.AddDays(90));
        await _health.CheckedAsync("b.example.com", HealthCheckKind.Site, FindingSeverity.Info, "A+", certificate: now.AddDays(10));
        await _health.CheckedAsync("c.example.com", HealthCheckKind.Site, FindingSeverity.Error, "C", certificate: now.AddDays(-2));
        await _health.WatchAsync("d.example.com", HealthCheckKind.Site);
        await _health.CheckedAsync("mail-one.example", HealthCheckKind.Mail, FindingSeverity.Warning, mode: "testing",
            more: new Finding("tlsrpt.missing-while-testing", FindingSeverity.Warning, "No TLS-RPT record."));
        await _health.CheckedAsync("mail-two.example", HealthCheckKind.Mail, FindingSeverity.Pass, mode: "enforce");

        var page = _health.Portal.Bunit.Render<HealthDashboard>();

        page.WaitForAssertion(() => Assert.Equal("Sites: 4", page.Find("[data-summary=site] h2").TextContent.Trim()));
        Assert.Equal(["2 healthy", "0 warnings", "1 errors", "1 not checked"], Counts(page, "site"));
        Assert.Equal(["1 healthy", "1 warnings", "0 errors", "0 not checked"], Counts(page, "mail"));
        Assert.Equal(["c.example.com", "b.example.com"], page.FindAll("[data-expiring]").Select(e => e.GetAttribute("data-expiring")));
        Assert.Contains("expired on", page.Find("[data-expiring='c.example.com']").TextContent, StringComparison.Ordinal);
        Assert.Contains("expires in 10 days", page.Find("[data-expiring='b.example.com']").TextContent, StringComparison.Ordinal);
        Assert.Equal("1", page.Find("[data-in-testing]").GetAttribute("data-in-testing"));
        Assert.Equal(("testing", "missing"), Mail(page, "mail-one.example"));
        Assert.Equal(("enforce", "present"), Mail(page, "mail-two.example"));
        Assert.Equal("Sites by their latest header grade: A+ 2, C 1.", page.Find("[data-chart=grades] [data-chart-summary]").TextContent.Trim());
    }

    [Fact]
    public async Task The_grade_chart_counts_in_whole_sites()
    {
        var now = _health.Now;
        await _health.CheckedAsync("a.example.com", HealthCheckKind.Site, FindingSeverity.Pass, "A+", certificate: now.AddDays(90));
        await _health.CheckedAsync("b.example.com", HealthCheckKind.Site, FindingSeverity.Pass, "A+", certificate: now.AddDays(90));
        await _health.CheckedAsync("c.example.com", HealthCheckKind.Site, FindingSeverity.Error, "C", certificate: now.AddDays(90));

        var page = _health.Portal.Bunit.Render<HealthDashboard>();

        page.WaitForAssertion(() => Assert.NotEmpty(YAxisLabels(page, "grades")));
        Assert.Equal(["0", "1", "2"], YAxisLabels(page, "grades"));
    }

    [Fact]
    public void With_nothing_watched_the_page_says_so()
    {
        var page = _health.Portal.Bunit.Render<HealthDashboard>();

        page.WaitForAssertion(() => Assert.Equal("Sites: 0", page.Find("[data-summary=site] h2").TextContent.Trim()));
        Assert.NotNull(page.Find("[data-expiring-none]"));
        Assert.Contains("Nothing is watched yet", page.Markup, StringComparison.Ordinal);
    }

    private static string[] YAxisLabels(IRenderedComponent<HealthDashboard> page, string chart) =>
        [.. page.FindAll($"[data-chart={chart}] svg g.mud-charts-yaxis text").Select(e => e.TextContent.Trim())];

    private static string[] Counts(IRenderedComponent<HealthDashboard> page, string kind) =>
        [.. page.FindAll($"[data-summary={kind}] [data-count]").Select(e => e.TextContent.Trim())];

    private static (string Mode, string TlsRpt) Mail(IRenderedComponent<HealthDashboard> page, string name) =>
        (page.Find($"[data-mail-row='{name}'] [data-mode]").TextContent.Trim(), page.Find($"[data-mail-row='{name}'] [data-tlsrpt]").TextContent.Trim());
}
