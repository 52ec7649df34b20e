using System.Net;
using Portal.Core.Workflow;

namespace Portal.Tests.Identity;

/// <summary>
/// End to end over HTTP with the built-in provider: whatever return address /account/signin or /account/step-up is
/// given, the sign-in through /signin-oidc ends at a path on the portal (the one asked for when it is local, the
/// dashboard otherwise) and never with a 500.
/// </summary>
public sealed class OpenRedirectTests
{
    private const string Email = "olga@example.test";
    private const string Password = "olgas own password";

    private static readonly string[] Hostile =
    [
        "/\t/evil.example/phish", "/%09/evil.example/phish", "//evil.example/phish", "/\\evil.example/phish", "\\/evil.example/phish",
        "/\\\\evil.example", "https://evil.example/phish", "javascript:alert(1)", "/\r\nLocation: http://evil.example/", "/\r/evil.example",
        "/\n/evil.example", "/\v/evil.example", "/\f/evil.example", "/\0/evil.example", "/\u3000/evil.example", "/\u2028/evil.example",
        "/\uFF0Fevil.example", "/%2F/evil.example", "/%5C/evil.example", "/%252F/evil.example", "/ /evil.example",
    ];

    [Fact]
    public async Task Every_sign_in_ends_on_the_portal_whatever_return_address_it_was_given()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        using var browser = new HttpBrowser(portal);
        var first = await browser.SignInAsync(Email, Password, Authenticator.Code(key), "/requests/42?tab=plan");
        Assert.Equal("/requests/42?tab=plan", first[^1].Headers.Location?.OriginalString);

        // Signed in at the provider: each further sign-in goes straight through /connect/authorize and /signin-oidc.
        var wrong = new List<string>();
        foreach (var returnUrl in Hostile)
        {
            var hops = await browser.FollowAsync("/account/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
            var last = hops[^1];
            var end = $"{(int)last.StatusCode} {last.RequestMessage!.RequestUri!.AbsolutePath} -> {last.Headers.Location?.OriginalString}";
            if (last.RequestMessage.RequestUri.AbsolutePath != "/signin-oidc" || last.StatusCode != HttpStatusCode.Redirect || last.Headers.Location?.OriginalString != "/")
            {
                wrong.Add($"{Uri.EscapeDataString(returnUrl)}: {end}");
            }
        }

        Assert.True(wrong.Count == 0, "These return addresses did not end at /:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task A_step_up_with_a_hostile_return_address_ends_at_the_dashboard()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Approver);
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync(Email, Password, Authenticator.Code(key));

        var start = await browser.FollowAsync("/account/step-up?returnUrl=" + Uri.EscapeDataString("/%09/evil.example/phish"));
        Assert.Equal("/account/login", start[^1].RequestMessage!.RequestUri!.AbsolutePath);
        var back = System.Web.HttpUtility.ParseQueryString(start[^1].RequestMessage!.RequestUri!.Query)["returnUrl"]!;
        await browser.PostFormAsync("/account/login", "/account/login", ("Email", Email), ("Password", Password), ("ReturnUrl", back));

        // The code of the next step: the current one was spent by the first sign-in.
        var code = await browser.PostFormAsync("/account/login", "/account/login-code", ("Code", Authenticator.Code(key, DateTime.UtcNow.AddSeconds(30))), ("ReturnUrl", back));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        var hops = await browser.FollowAsync(code.Headers.Location!.OriginalString);

        Assert.Equal("/signin-oidc", hops[^1].RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, hops[^1].StatusCode);
        Assert.Equal("/", hops[^1].Headers.Location!.OriginalString);
    }
}
