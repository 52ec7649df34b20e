using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Identity;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Pages;

/// <summary>A row of the dashboard's recent requests opens the request, with the mouse anywhere on the row or with the keyboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardRowClickTests
{
    [Fact]
    public async Task A_click_on_the_row_and_enter_on_its_link_open_the_request()
    {
        await using var signedIn = await SignedInPage.StartAsync();
        var requester = Actor.Person("req-1", "Rita Requester", DateTimeOffset.UtcNow, PortalRole.Requester);
        var created = await signedIn.Portal.Services.GetRequiredService<RequestService>().CreateAsync(TestSpecs.Site("row.example.com"), requester, submit: false);
        Assert.True(created.Succeeded, created.Message);
        var page = signedIn.Page;
        var detail = $"/requests/{created.RequestId}";

        // The mouse: a cell that is not the link (the kind), once the circuit has connected.
        await page.GotoAsync(signedIn.Portal.Url("/").ToString());
        await Browser.RepeatUntilAsync(
            () => page.Locator($"tr[data-request-row='{created.RequestId}'] td").Nth(1).ClickAsync(),
            () => Task.FromResult(page.Url.EndsWith(detail, StringComparison.Ordinal)),
            what: "clicking the dashboard row");

        // The keyboard: Tab reaches the row's link, Enter follows it.
        await page.GotoAsync(signedIn.Portal.Url("/").ToString());
        var link = page.Locator($"tr[data-request-row='{created.RequestId}'] a");
        Assert.Equal(0, await link.EvaluateAsync<int>("a => a.tabIndex"));
        await Browser.RepeatUntilAsync(
            async () =>
            {
                await link.FocusAsync();
                await page.Keyboard.PressAsync("Enter");
            },
            () => Task.FromResult(page.Url.EndsWith(detail, StringComparison.Ordinal)),
            what: "pressing Enter on the row's link");
    }
}
