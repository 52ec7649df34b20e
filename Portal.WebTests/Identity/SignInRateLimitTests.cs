using System.Net;
using Portal.Core.Workflow;

namespace Portal.Tests.Identity;

/// <summary>Sign-in form submissions are limited per client address (Identity:SignInPermitLimit per Identity:SignInWindow).</summary>
public sealed class SignInRateLimitTests
{
    [Fact]
    public async Task Submissions_over_the_limit_get_429_with_retry_after_while_pages_still_load()
    {
        await using var portal = new LivePortal(new Dictionary<string, string?>
        {
            ["Identity:SignInPermitLimit"] = "3",
            ["Identity:SignInWindow"] = "00:10:00",
        });
        await portal.CreateUserAsync("rory@example.test", "Rory Rate", PortalRole.Requester, "a fine password");
        using var form = new SignInForm(portal);

        for (var i = 0; i < 3; i++)
        {
            var allowed = await form.PostAsync("/account/login", ("Email", "rory@example.test"), ("Password", $"guess {i}"));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var limited = await form.PostAsync("/account/login", ("Email", "rory@example.test"), ("Password", "a fine password"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The other sign-in forms share the budget of this address.
        var code = await form.PostAsync("/account/login-code", ("Code", "123456"));
        Assert.Equal(HttpStatusCode.TooManyRequests, code.StatusCode);

        // Reading the pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await form.GetAsync("/account/login")).StatusCode);
    }
}
