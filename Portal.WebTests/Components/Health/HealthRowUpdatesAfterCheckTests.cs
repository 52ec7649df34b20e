using Bunit;
using Portal.Components.Pages;
using Portal.Core.Health;

namespace Portal.Tests.Components.Health;

/// <summary>
/// An open health page shows a check's result as soon as the health engine stores it: the row leaves "Not checked
/// yet" without a reload, on the dashboard and on the name's own page.
/// </summary>
public sealed class HealthRowUpdatesAfterCheckTests : IAsyncLifetime
{
    private HealthPortal _health = default!;

    public async Task InitializeAsync() => _health = await HealthPortal.CreateAsync();

    public async Task DisposeAsync() => await _health.DisposeAsync();

    [Fact]
    public async Task The_dashboard_row_shows_the_first_result_when_the_check_finishes()
    {
        var id = await _health.WatchAsync("nowhere.example.com", HealthCheckKind.Site);
        var page = _health.Portal.Bunit.Render<HealthDashboard>();
        page.WaitForAssertion(() => Assert.Equal("Not checked yet", page.Find("tr[data-row='nowhere.example.com'] [data-last-check]").TextContent.Trim()));

        var report = await _health.Health.CheckNowAsync(id);

        Assert.NotNull(report);
        page.WaitForAssertion(() => Assert.Equal("failing", page.Find("tr[data-row='nowhere.example.com']").GetAttribute("data-status")));
        Assert.Equal(report.CheckedAt.ToString("yyyy-MM-dd HH:mm 'UTC'"), page.Find("tr[data-row='nowhere.example.com'] [data-last-check]").TextContent.Trim());
        Assert.Equal(["0 healthy", "0 warnings", "1 errors", "0 not checked"], page.FindAll("[data-summary=site] [data-count]").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public async Task The_name_s_page_shows_the_findings_when_the_check_finishes()
    {
        var id = await _health.WatchAsync("nowhere.example.com", HealthCheckKind.Site);
        var page = _health.Portal.Bunit.Render<HealthDetail>(p => p.Add(c => c.Id, id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-not-checked]")));

        await _health.Health.CheckNowAsync(id);

        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-not-checked]")));
        Assert.NotEmpty(page.FindAll("[data-finding]"));
    }

    [Fact]
    public async Task A_result_heard_from_another_replica_updates_the_row_too()
    {
        var id = await _health.WatchAsync("elsewhere.example.com", HealthCheckKind.Site);
        var page = _health.Portal.Bunit.Render<HealthDashboard>();
        page.WaitForAssertion(() => Assert.Equal("Not checked yet", page.Find("tr[data-row='elsewhere.example.com'] [data-last-check]").TextContent.Trim()));

        // Another replica stored the result; this one hears of it through the feed (the poller's announcement).
        var at = _health.Now;
        await _health.RecordAsync(id, new HealthReport("elsewhere.example.com", HealthCheckKind.Site, at, TimeSpan.Zero,
            [new Finding("site.https", FindingSeverity.Pass, "Fine.")]) { Grade = "A" });
        _health.Feed.Publish(new HealthChange(id, "elsewhere.example.com", HealthCheckKind.Site, at) { FromOtherReplica = true });

        page.WaitForAssertion(() => Assert.Equal("healthy", page.Find("tr[data-row='elsewhere.example.com']").GetAttribute("data-status")));
    }
}
