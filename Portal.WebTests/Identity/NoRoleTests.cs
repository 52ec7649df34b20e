using System.Net;

namespace Portal.Tests.Identity;

/// <summary>A person the provider knows and who proved MFA, but whom nobody gave a portal role, sees nothing but why.</summary>
public sealed class NoRoleTests
{
    [Fact]
    public async Task Signed_in_with_mfa_but_without_a_role_is_sent_to_the_access_denied_page()
    {
        await using var portal = new LivePortal();
        var claims = new System.Security.Claims.Claim[]
        {
            new("sub", "norole-1"), new("name", "Nico No-Role"), new("amr", "pwd"), new("amr", "mfa"),
            new("auth_time", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };
        client.DefaultRequestHeaders.Add("Cookie", $".portal.session={Sessions.CookieValue(portal.Services, claims)}");

        var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/access-denied", home.Headers.Location!.AbsolutePath);

        var hub = await client.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, hub.StatusCode);

        var page = await client.GetStringAsync(new Uri("/account/access-denied", UriKind.Relative));
        Assert.Contains("Nico No-Role", page, StringComparison.Ordinal);
        Assert.Contains("no portal role", page, StringComparison.Ordinal);
    }
}
