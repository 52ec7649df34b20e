using Microsoft.Playwright;
using Portal.Core.Workflow;

namespace Portal.Tests.Identity;

/// <summary>
/// The whole sign-in through the built-in provider in a real browser: password, forced TOTP enrolment (key read
/// from the page, codes computed by the test), a wrong code refused, the signed-in page, and a sign-out that ends the
/// portal session and the provider session.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BuiltInProviderSignInTests
{
    private const string Email = "alice@example.test";
    private const string Password = "correct horse battery";

    [Fact]
    public async Task First_sign_in_enrols_totp_then_shows_name_and_role_and_sign_out_ends_both_sessions()
    {
        await using var portal = new LivePortal();
        await portal.CreateUserAsync(Email, "Alice Example", PortalRole.Requester, Password);
        await using var browser = await Browser.StartAsync();
        var page = browser.Page;

        await page.GotoAsync(portal.Url("/").ToString());
        await SubmitPasswordAsync(page);

        // First sign-in: enrolment is forced before anything else.
        await page.WaitForURLAsync(url => url.Contains("/account/enrol", StringComparison.Ordinal));
        Assert.True(await page.Locator("img.qr").IsVisibleAsync());
        var key = (await page.Locator("#totp-key").InnerTextAsync()).Trim();
        Assert.Matches("^[a-z2-7 ]{32,}$", key);

        await page.FillAsync("#code", Authenticator.WrongCode(key));
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("That code is not right", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);

        await page.FillAsync("#code", Authenticator.Code(key));
        await page.ClickAsync("button[type=submit]");
        Assert.Equal(10, await page.Locator("#recovery-codes li").CountAsync());
        await page.ClickAsync("#continue");

        await page.WaitForURLAsync(portal.Url("/").ToString());
        Assert.Equal("Alice Example", (await page.GetByTestId("signed-in-name").InnerTextAsync()).Trim());
        Assert.Equal(["Requester"], (await page.GetByTestId("signed-in-role").AllInnerTextsAsync()).Select(t => t.Trim()));
        var me = await page.APIRequest.GetAsync(portal.Url("/account/me").ToString());
        var json = await me.TextAsync();
        Assert.Contains("\"mfa\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"roles\":[\"Requester\"]", json, StringComparison.Ordinal);

        // Sign-out ends both sessions: the portal then sends the browser to the provider, which asks for the password again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/signed-out", StringComparison.Ordinal));
        Assert.DoesNotContain(await browser.Context.CookiesAsync(), c => c.Name.StartsWith(".portal.session", StringComparison.Ordinal) || c.Name == ".portal.idp");
        await page.GotoAsync(portal.Url("/").ToString());
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));

        // Second sign-in: no enrolment, a code is asked for; a wrong one is refused.
        await SubmitPasswordAsync(page);
        await page.WaitForURLAsync(url => url.Contains("/account/login-code", StringComparison.Ordinal));
        await page.FillAsync("#code", Authenticator.WrongCode(key));
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("That code is not right", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);

        // A code works once: the enrolment spent this step's code, so the app's next code (one step ahead is accepted).
        await page.FillAsync("#code", Authenticator.Code(key, DateTime.UtcNow.AddSeconds(30)));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(portal.Url("/").ToString());
        Assert.Equal("Alice Example", (await page.GetByTestId("signed-in-name").InnerTextAsync()).Trim());
    }

    private static async Task SubmitPasswordAsync(IPage page)
    {
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.FillAsync("#email", Email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
    }
}
