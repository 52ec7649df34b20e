using Portal.Tests.Identity;

namespace Portal.Tests.Pages;

/// <summary>The browser's request for the favicon gets the icon, without a sign-in and under the portal's security headers.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FaviconTests
{
    [Fact]
    public async Task The_favicon_is_served_to_anyone_with_the_policy_intact()
    {
        await using var portal = new LivePortal();
        await using var browser = await Browser.StartAsync();
        var page = browser.Page;
        var requests = new List<string>();
        page.Request += (_, r) =>
        {
            lock (requests)
            {
                requests.Add(r.Url);
            }
        };

        var response = await page.GotoAsync(portal.Url("/favicon.ico").ToString());

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal("image/x-icon", response.Headers["content-type"]);
        Assert.Contains("default-src 'self'", response.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain(requests.ToArray(), u => u.Contains("/account/", StringComparison.Ordinal) || u.Contains("/connect/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sign_in_page_names_the_icon_and_the_browser_loads_it()
    {
        await using var portal = new LivePortal();
        await using var browser = await Browser.StartAsync();
        var page = browser.Page;

        await page.GotoAsync(portal.Url("/account/login").ToString());
        var href = await page.Locator("link[rel=icon]").GetAttributeAsync("href");
        Assert.NotNull(href);
        var icon = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), href).ToString(), new() { MaxRedirects = 0 });

        Assert.Equal(200, icon.Status);
    }
}
