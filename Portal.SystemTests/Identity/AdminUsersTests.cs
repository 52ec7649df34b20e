using Microsoft.Playwright;

namespace Portal.Tests.Identity;

/// <summary>
/// The admin page of the built-in provider's users: an invitation link that enrols the person, a reset of their MFA
/// that forces a new enrolment, and disabling, which ends their sign-in.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminUsersTests
{
    private const string Email = "dora@example.test";
    private const string Password = "doras own password";

    [Fact]
    public async Task Admin_invites_resets_mfa_and_disables_a_user()
    {
        await using var portal = new LivePortal();
        await using var adminBrowser = await Browser.StartAsync();
        var admin = adminBrowser.Page;
        await adminBrowser.Context.AddCookiesAsync([new Cookie
        {
            Name = ".portal.session",
            Value = Sessions.CookieValue(portal.Services, Sessions.TokenClaims(Persona.Admin)),
            Url = portal.BaseAddress.ToString(),
        }]);
        await admin.GotoAsync(portal.Url("/admin/users").ToString());
        // Typed again until the circuit is live: text typed into the prerendered page never reaches the component.
        await Browser.RepeatUntilAsync(
            async () =>
            {
                await admin.Locator("input[data-testid=invite-email], [data-testid=invite-email] input").FillAsync(Email);
                await admin.Locator("input[data-testid=invite-name], [data-testid=invite-name] input").FillAsync("Dora Invited");
                await admin.Keyboard.PressAsync("Tab");
                await admin.GetByTestId("invite").ClickAsync();
            },
            () => admin.GetByTestId("invite-link").IsVisibleAsync());
        var link = (await admin.GetByTestId("invite-link").InnerTextAsync()).Trim();

        // Dora, in her own browser: the link, a password, an authenticator, and she is in as a Requester.
        await using var doraBrowser = await Browser.StartAsync();
        var dora = doraBrowser.Page;
        await dora.GotoAsync(link);
        await dora.FillAsync("#password", Password);
        await dora.FillAsync("#confirm", Password);
        await dora.ClickAsync("button[type=submit]");
        var key = await EnrolAsync(dora, portal);
        Assert.Equal(["Requester"], (await dora.GetByTestId("signed-in-role").AllInnerTextsAsync()).Select(t => t.Trim()));

        // Reset MFA: her next sign-in enrols a new authenticator; the old key is gone.
        await admin.ReloadAsync();
        var row = admin.Locator($"tr[data-user='{Email}']");
        Assert.Equal("active", (await row.GetByTestId("state").InnerTextAsync()).Trim());
        await Browser.ClickUntilAsync(row.GetByTestId("reset-mfa"), async () => (await row.GetByTestId("state").InnerTextAsync()).Trim() == "invited");
        await using (var again = await Browser.StartAsync())
        {
            await again.Page.GotoAsync(portal.Url("/").ToString());
            await SignInWithPasswordAsync(again.Page);
            var newKey = await EnrolAsync(again.Page, portal);
            Assert.NotEqual(key, newKey);
        }

        // Disable: no new sign-in, and her open session ends too.
        await admin.ReloadAsync();
        row = admin.Locator($"tr[data-user='{Email}']");
        await Browser.ClickUntilAsync(row.GetByTestId("toggle-disabled"), async () => (await row.GetByTestId("state").InnerTextAsync()).Trim() == "disabled");
        await dora.GotoAsync(portal.Url("/").ToString());
        await SignInWithPasswordAsync(dora);
        // The same answer as a wrong password: the form does not tell anyone the account exists.
        Assert.Contains(Portal.Pages.Account.Provider.LoginModel.WrongCredentials, await dora.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static async Task SignInWithPasswordAsync(IPage page)
    {
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.FillAsync("#email", Email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
    }

    private static async Task<string> EnrolAsync(IPage page, LivePortal portal)
    {
        await page.WaitForURLAsync(url => url.Contains("/account/enrol", StringComparison.Ordinal));
        var key = (await page.Locator("#totp-key").InnerTextAsync()).Trim();
        await page.FillAsync("#code", Authenticator.Code(key));
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("#continue");
        await page.WaitForURLAsync(portal.Url("/").ToString());
        return key;
    }
}
