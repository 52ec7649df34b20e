using Microsoft.Playwright;
using OtpNet;

namespace Portal.Tests.Identity;

/// <summary>Debian's Chromium driven by Playwright, one fresh context (cookie jar) per test.</summary>
public sealed class Browser : IAsyncDisposable
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowserContext Context { get; private set; } = null!;

    public IPage Page { get; private set; } = null!;

    public static async Task<Browser> StartAsync(bool ignoreHttpsErrors = false)
    {
        var browser = new Browser();
        browser._playwright = await Playwright.CreateAsync();
        browser._browser = await browser._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        browser.Context = await browser._browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = ignoreHttpsErrors });
        browser.Context.SetDefaultTimeout(30_000);
        browser.Page = await browser.Context.NewPageAsync();
        return browser;
    }

    /// <summary>
    /// Clicks a Blazor button until <paramref name="done"/> holds: until the circuit is connected the prerendered button
    /// has no handler yet, so an early click does nothing.
    /// </summary>
    public static Task ClickUntilAsync(ILocator button, Func<Task<bool>> done, int attempts = 20)
    {
        ArgumentNullException.ThrowIfNull(button);
        return RepeatUntilAsync(() => button.ClickAsync(), done, attempts, button.ToString());
    }

    /// <summary>Repeats <paramref name="act"/> (e.g. fill a form and press its button) until <paramref name="done"/> holds.</summary>
    public static async Task RepeatUntilAsync(Func<Task> act, Func<Task<bool>> done, int attempts = 20, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(act);
        ArgumentNullException.ThrowIfNull(done);
        for (var i = 0; i < attempts; i++)
        {
            await act();
            for (var wait = 0; wait < 10; wait++)
            {
                if (await done())
                {
                    return;
                }

                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"Doing {what ?? "it"} {attempts} times did not have the expected effect.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>TOTP codes computed the way an authenticator app does (RFC 6238, SHA-1, 30 s, 6 digits), independently of the portal.</summary>
public static class Authenticator
{
    public static string Code(string displayedKey, DateTime? at = null) =>
        new Totp(Base32Encoding.ToBytes(displayedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant())).ComputeTotp(at ?? DateTime.UtcNow);

    /// <summary>A well-formed code that is valid in no window the portal accepts (previous, current, next).</summary>
    public static string WrongCode(string displayedKey)
    {
        var now = DateTime.UtcNow;
        var near = new[] { -60, -30, 0, 30, 60 }.Select(s => Code(displayedKey, now.AddSeconds(s))).ToHashSet();
        for (var candidate = 0; ; candidate++)
        {
            var code = candidate.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (!near.Contains(code))
            {
                return code;
            }
        }
    }
}
