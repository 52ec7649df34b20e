using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Requests;
using Portal.Core.TlsReports;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;
using Portal.Tests.TlsReports;

namespace Portal.Tests.Flows;

/// <summary>
/// In the browser, an approver promotes an MTA-STS policy to enforce with the gate set to block: with one day of
/// reports and unchecked MX hosts the page shows "Enforce blocked" and Promote is refused with what is missing; once
/// senders have posted enough reports to the portal's endpoint and the MX hosts pass, the page shows "Safe to enforce"
/// and Promote goes ahead.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EnforceGateFlowTests
{
    private const string Domain = "gate-flow.example.com";

    private sealed class SettableMx : IMxTransportResults
    {
        public MxTransportResults Results { get; set; } = MxTransportResults.None("the MX hosts have not been checked yet.");

        public Task<MxTransportResults> ForDomainAsync(string mailDomain, CancellationToken ct = default) => Task.FromResult(Results);
    }

    [Fact]
    public async Task Enforce_is_blocked_with_bad_evidence_and_allowed_with_good_evidence()
    {
        var mx = new SettableMx();
        await using var portal = new LivePortal(new Dictionary<string, string?>
        {
            ["TlsReports:GateBlocks"] = "true",
            ["TlsReports:GateMinimumReportDays"] = "2",
        }, testServices: s => s.AddSingleton<IMxTransportResults>(mx));
        var service = portal.Services.GetRequiredService<RequestService>();
        var owner = Actor.Person("req-1", "Rita Requester", DateTimeOffset.UtcNow, PortalRole.Requester);
        var id = (await service.CreateAsync(TestSpecs.MtaSts(Domain), owner, submit: true)).RequestId;
        foreach (var (action, actor) in new[]
        {
            (WorkflowAction.StartTestingDeployment, Actor.System), (WorkflowAction.CompleteTestingDeployment, Actor.System),
            (WorkflowAction.RequestApproval, owner),
        })
        {
            var result = await service.ApplyAsync(id, action, actor);
            Assert.True(result.Succeeded, $"{action}: {result.Message}");
        }

        using var sender = new HttpClient { BaseAddress = portal.BaseAddress };
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await PostReportAsync(sender, SampleTlsReports.Daily(Domain, today.AddDays(-1), 800));

        await using var browser = await Browser.StartAsync();
        var page = browser.Page;
        await browser.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie
        {
            Name = ".portal.session", Value = Sessions.CookieValue(portal.Services, Sessions.TokenClaims(Persona.Approver)), Url = portal.BaseAddress.ToString(),
        }]);
        await page.GotoAsync(portal.Url($"/requests/{id}").ToString());

        await page.Locator("[data-gate-outcome=Block]", new() { HasText = "Enforce blocked" }).WaitForAsync();
        Assert.Equal("no", await page.Locator("[data-gate-condition=report-days]").GetAttributeAsync("data-met"));
        Assert.Equal("no", await page.Locator("[data-gate-condition=mx-transport]").GetAttributeAsync("data-met"));
        var refusal = page.Locator("section[aria-label=Actions] [role=status]", new() { HasText = "Not yet safe to enforce" });
        await Browser.ClickUntilAsync(page.Locator("button[data-action=Promote]"), () => refusal.IsVisibleAsync());
        Assert.Contains("TLS reports cover 1 of the 2 days needed.", await refusal.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(RequestState.AwaitingApproval, (await service.GetAsync(id))!.State);

        // Senders report a second day through the portal's endpoint, and the MX hosts pass their transport check.
        await PostReportAsync(sender, SampleTlsReports.Daily(Domain, today.AddDays(-2), 900));
        mx.Results = new MxTransportResults(DateTimeOffset.UtcNow, [new("mx1." + Domain, true, true, true), new("a.mail." + Domain, true, true, true)]);

        await page.Locator("[data-gate-refresh]").ClickAsync();
        await page.Locator("[data-gate-outcome=Safe]", new() { HasText = "Safe to enforce" }).WaitForAsync();
        var done = page.Locator("section[aria-label=Actions] [role=status]", new() { HasText = "Promote: done" });
        await Browser.ClickUntilAsync(page.Locator("button[data-action=Promote]"), () => done.IsVisibleAsync());
        Assert.Contains((await service.GetAsync(id))!.AuditEvents, e => e.Action == nameof(WorkflowAction.Promote));
    }

    private static async Task PostReportAsync(HttpClient sender, string json)
    {
        using var content = new ByteArrayContent(SampleTlsReports.Gzip(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/tlsrpt+gzip");
        using var response = await sender.PostAsync(new Uri($"/tlsrpt/v1/{Domain}", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
