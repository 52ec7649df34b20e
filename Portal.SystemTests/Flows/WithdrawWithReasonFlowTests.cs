using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Flows;

/// <summary>
/// In the browser, Withdraw opens a dialog: nothing happens on the click itself, the dialog cannot be confirmed without a
/// reason, and once confirmed the request is withdrawn and its history shows the reason as typed, trimmed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WithdrawWithReasonFlowTests
{
    [Fact]
    public async Task A_requester_withdraws_a_draft_after_giving_a_reason_and_the_history_shows_it()
    {
        await using var portal = new LivePortal();
        var service = portal.Services.GetRequiredService<RequestService>();

        // The owner is the requester persona whose session the browser carries.
        var owner = Actor.Person("req-1", "Rita Requester", DateTimeOffset.UtcNow, PortalRole.Requester);
        var id = (await service.CreateAsync(TestSpecs.Site("withdraw.example.com"), owner, submit: false)).RequestId;

        await using var browser = await Browser.StartAsync();
        var page = browser.Page;
        await browser.Context.AddCookiesAsync([new Cookie
        {
            Name = ".portal.session", Value = Sessions.CookieValue(portal.Services, Sessions.TokenClaims(Persona.Requester)), Url = portal.BaseAddress.ToString(),
        }]);
        await page.GotoAsync(portal.Url($"/requests/{id}").ToString());

        var reason = page.Locator("[role=dialog] textarea[data-reason-for=Withdraw]");
        await Browser.ClickUntilAsync(page.Locator("button[data-action=Withdraw]"), () => reason.IsVisibleAsync());
        Assert.Equal(RequestState.Draft, (await service.GetAsync(id))!.State);
        Assert.True(await page.Locator("button[data-confirm=Withdraw]").IsDisabledAsync());

        await reason.FillAsync("  Merged into the main docs site.  ");
        await page.Locator("button[data-confirm=Withdraw]").ClickAsync();

        await page.Locator("section[aria-label=Actions] [role=status]", new() { HasText = "Withdraw: done" }).WaitForAsync();
        await page.Locator("[aria-label=History]", new() { HasText = "Merged into the main docs site." }).WaitForAsync();
        Assert.Equal(0, await page.Locator("[role=dialog]").CountAsync());
        var stored = (await service.GetAsync(id))!;
        Assert.Equal(RequestState.Withdrawn, stored.State);
        Assert.Equal("Merged into the main docs site.", stored.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.Withdraw)).Reason);
    }
}
