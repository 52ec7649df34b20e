using Microsoft.Playwright;

namespace Portal.Tests.Identity;

/// <summary>
/// The portal configured against an OpenID Connect provider that is not its own (oidc-provider on loopback), as a
/// generic provider: a sign-in whose token says amr ["pwd"] gets only the page that explains the missing MFA (and
/// sign-out); one with ["pwd","mfa"] is signed in with the role from the provider's roles claim.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExternalProviderSignInTests
{
    [Fact]
    public async Task Password_only_sign_in_is_refused_and_mfa_sign_in_is_accepted()
    {
        var portalPort = LivePortal.FreePort();
        var portalOrigin = new Uri($"http://127.0.0.1:{portalPort}");
        await using var provider = await ExternalProvider.StartAsync(portalOrigin);
        await using var portal = new LivePortal(new Dictionary<string, string?>
        {
            ["Authentication:Authority"] = provider.Issuer.ToString(),
            ["Authentication:ClientId"] = "portal",
            ["Authentication:ClientSecret"] = ExternalProvider.ClientSecret,
            ["Authentication:RequireHttpsMetadata"] = "false",
            ["Authentication:ResponseMode"] = "query",
            ["Authentication:Scopes:0"] = "profile",
            ["Authentication:Scopes:1"] = "roles",
        }, port: portalPort);
        await using var browser = await Browser.StartAsync();
        var page = browser.Page;

        // The built-in provider is switched off.
        var discovery = await page.APIRequest.GetAsync(portal.Url("/.well-known/openid-configuration").ToString());
        Assert.Equal(404, discovery.Status);

        await SignInAtProviderAsync(page, portal, provider, "pwd-user");
        await page.WaitForURLAsync(url => url.Contains("/account/mfa-required", StringComparison.Ordinal));
        var text = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Pete Password", text, StringComparison.Ordinal);
        Assert.Contains("did not prove multi-factor authentication", text, StringComparison.Ordinal);

        // Nothing else: the dashboard, the API and Blazor's hub stay closed to this session.
        await page.GotoAsync(portal.Url("/").ToString());
        await page.WaitForURLAsync(url => url.Contains("/account/mfa-required", StringComparison.Ordinal));
        Assert.Equal(403, (await page.APIRequest.PostAsync(portal.Url("/_blazor/negotiate?negotiateVersion=1").ToString())).Status);
        Assert.Equal(401, (await page.APIRequest.GetAsync(portal.Url("/api/me").ToString())).Status);

        // Sign-out ends the portal session and the provider's.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(provider.Issuer.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/signed-out", StringComparison.Ordinal));

        await SignInAtProviderAsync(page, portal, provider, "mfa-user");
        await page.WaitForURLAsync(portal.Url("/").ToString());
        Assert.Equal("Mia Mfa", (await page.GetByTestId("signed-in-name").InnerTextAsync()).Trim());
        Assert.Equal(["Approver"], (await page.GetByTestId("signed-in-role").AllInnerTextsAsync()).Select(t => t.Trim()));
    }

    private static async Task SignInAtProviderAsync(IPage page, LivePortal portal, ExternalProvider provider, string account)
    {
        await page.GotoAsync(portal.Url("/").ToString());
        await page.WaitForURLAsync(url => url.StartsWith(provider.Issuer.GetLeftPart(UriPartial.Authority) + "/interaction/", StringComparison.Ordinal));
        await page.FillAsync("#account", account);
        await page.ClickAsync("button[type=submit]");
    }
}
