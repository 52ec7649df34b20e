using Microsoft.Playwright;
using Portal.Tests.Identity;

namespace Portal.Tests.Flows;

/// <summary>
/// In the browser, the navigation offers each person what their roles can use: an approver sees Approvals and no New
/// site, and opening the create page anyway says up front that it needs the Requester role; a requester sees the reverse.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RoleAwareNavigationFlowTests
{
    [Fact]
    public async Task An_approver_and_a_requester_are_each_offered_what_their_roles_can_use()
    {
        await using var portal = new LivePortal();
        await using var browser = await Browser.StartAsync();
        var page = browser.Page;
        var nav = page.Locator(".mud-navmenu");

        await SignInAsync(browser, portal, Persona.Approver);
        await page.GotoAsync(portal.Url("/").ToString());
        await nav.Locator("a[href=approvals]").WaitForAsync();
        Assert.Equal(0, await nav.Locator("a[href='requests/new/site']").CountAsync());
        Assert.Equal(0, await nav.Locator("a[href='requests/new/mta-sts']").CountAsync());

        await page.GotoAsync(portal.Url("/requests/new/site").ToString());
        await page.Locator("[data-needs-role=Requester]", new() { HasText = "Creating a request needs the Requester role" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("button[data-submit]").CountAsync());

        await browser.Context.ClearCookiesAsync();
        await SignInAsync(browser, portal, Persona.Requester);
        await page.GotoAsync(portal.Url("/").ToString());
        await nav.Locator("a[href='requests/new/site']").WaitForAsync();
        Assert.Equal(1, await nav.Locator("a[href='requests/new/mta-sts']").CountAsync());
        Assert.Equal(0, await nav.Locator("a[href=approvals]").CountAsync());
    }

    private static Task SignInAsync(Browser browser, LivePortal portal, Persona persona) =>
        browser.Context.AddCookiesAsync([new Cookie
        {
            Name = ".portal.session", Value = Sessions.CookieValue(portal.Services, Sessions.TokenClaims(persona)), Url = portal.BaseAddress.ToString(),
        }]);
}
