using Microsoft.Playwright;
using Portal.Tests.Identity;

namespace Portal.Tests.Pages;

/// <summary>A portal on loopback and Chromium signed in to it as <see cref="Persona.Requester"/> (a session cookie, no sign-in pages).</summary>
internal sealed class SignedInPage : IAsyncDisposable
{
    private SignedInPage(LivePortal portal, Browser browser)
    {
        Portal = portal;
        Browser = browser;
    }

    public LivePortal Portal { get; }

    public Browser Browser { get; }

    public IPage Page => Browser.Page;

    public static async Task<SignedInPage> StartAsync()
    {
        var portal = new LivePortal();
        var browser = await Browser.StartAsync();
        var cookie = Sessions.CookieValue(portal.Services, Sessions.TokenClaims(Persona.Requester));
        await browser.Context.AddCookiesAsync([new Cookie { Name = ".portal.session", Value = cookie, Url = portal.BaseAddress.ToString() }]);
        return new SignedInPage(portal, browser);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Portal.DisposeAsync();
    }
}
