using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;
using Portal.Core.Headers;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// The portal's own responses (pages, sign-in pages, API, probes, provider endpoints, static files) served over HTTPS
/// carry headers that the MDN HTTP Observatory scoring grades A or better, and the UI works under that policy.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityHeadersTests
{
    private static readonly (string Method, string Path, Persona Who)[] Responses =
    [
        ("GET", "/", Persona.Requester),
        ("GET", "/requests", Persona.Approver),
        ("GET", "/account/login", Persona.Anonymous),
        ("GET", "/account/signin?returnUrl=%2F", Persona.Anonymous),
        ("GET", "/account/mfa-required", Persona.SignedInWithoutMfa),
        ("GET", "/", Persona.Anonymous),
        ("GET", "/no/such/page", Persona.Requester),
        ("GET", "/healthz", Persona.Anonymous),
        ("GET", "/readyz", Persona.Anonymous),
        ("GET", "/api/me", Persona.Anonymous),
        ("POST", "/_blazor/negotiate?negotiateVersion=1", Persona.Admin),
        ("GET", "/.well-known/openid-configuration", Persona.Anonymous),
        ("POST", "/connect/token", Persona.Anonymous),
        ("GET", "/_content/MudBlazor/MudBlazor.min.css", Persona.Anonymous),
        ("GET", "/account.css", Persona.Anonymous),
    ];

    [Fact]
    public async Task Every_kind_of_response_grades_at_least_A()
    {
        using var certificate = LoopbackCertificate.Create();
        await using var portal = new LivePortal(certificate: certificate);
        Assert.Equal("https", portal.BaseAddress.Scheme);
        var failures = new List<string>();
        foreach (var (method, path, who) in Responses)
        {
            using var client = Client(portal, certificate, who);
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(portal.BaseAddress, path));
            using var response = await client.SendAsync(request);
            var headers = response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));

            // The portal listens on HTTPS only here, so nothing answers plain HTTP (behind a proxy, the proxy redirects).
            var grade = ObservatoryGrader.Grade(headers, RedirectionOutcome.NotNeededNoHttp);

            if (grade.Score < 90)
            {
                failures.Add($"{method} {path} as {who} ({(int)response.StatusCode}): {grade.Grade} {grade.Score}: "
                    + string.Join("; ", grade.Penalties.Select(p => $"{p.Result} {p.Modifier}")));
            }

            Assert.Equal("max-age=31536000; includeSubDomains", response.Headers.GetValues("Strict-Transport-Security").Single());
            Assert.DoesNotContain("unsafe-eval", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.NotEmpty(response.Headers.GetValues("Permissions-Policy"));
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task The_dashboard_and_sign_in_page_run_under_the_policy_without_violations()
    {
        using var certificate = LoopbackCertificate.Create();
        await using var portal = new LivePortal(certificate: certificate);
        await using var browser = await Browser.StartAsync(ignoreHttpsErrors: true);
        var page = browser.Page;
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // Failed loads are reported by URL below, where the browser's own favicon probe can be told apart.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (problems)
                {
                    problems.Add(message.Text);
                }
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                lock (problems)
                {
                    problems.Add($"{response.Status} {response.Url}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add(error);
            }
        };

        await GotoAsync(page, new Uri(portal.BaseAddress, "/account/login").ToString());
        Assert.True(await page.Locator("#email").IsVisibleAsync());

        await browser.Context.AddCookiesAsync([new Cookie
        {
            Name = ".portal.session",
            Value = Sessions.CookieValue(portal.Services, Sessions.TokenClaims(Persona.Requester)),
            Url = portal.BaseAddress.ToString(),
        }]);
        var circuit = page.WaitForWebSocketAsync(new() { Predicate = ws => ws.Url.Contains("/_blazor", StringComparison.Ordinal) });
        await GotoAsync(page, portal.BaseAddress.ToString());
        var socket = await circuit;
        var frames = new TaskCompletionSource();
        socket.FrameReceived += (_, _) => frames.TrySetResult();
        await frames.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Interactive MudBlazor: the menu button toggles the drawer.
        var drawer = page.Locator(".mud-drawer");
        var before = await drawer.GetAttributeAsync("class");
        await Browser.ClickUntilAsync(page.GetByLabel("Toggle navigation"), async () => await drawer.GetAttributeAsync("class") != before);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static HttpClient Client(LivePortal portal, X509Certificate2 certificate, Persona who)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
            },
        };
        var client = new HttpClient(handler);
        if (who != Persona.Anonymous)
        {
            client.DefaultRequestHeaders.Add("Cookie", $".portal.session={Sessions.CookieValue(portal.Services, Sessions.TokenClaims(who))}");
        }

        return client;
    }


    /// <summary>
    /// Chromium aborts a navigation with ERR_NETWORK_CHANGED when the host's network links change (other test
    /// processes' namespaces); that says nothing about the page, so the navigation is tried again.
    /// </summary>
    private static async Task GotoAsync(Microsoft.Playwright.IPage page, string url)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.GotoAsync(url);
                return;
            }
            catch (Microsoft.Playwright.PlaywrightException ex) when (attempt < 3 && ex.Message.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal))
            {
            }
        }
    }
}
