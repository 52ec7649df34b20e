using System.Net;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>The built-in provider takes PKCE with S256 only: "plain" (named or implied by leaving the method out) is refused.</summary>
public sealed class PkceMethodTests
{
    [Theory]
    [InlineData("&code_challenge_method=plain")]
    [InlineData("")]
    public async Task An_authorization_request_with_a_plain_code_challenge_is_refused(string method)
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, "pia@example.test", "pias own password", PortalRole.Requester);
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync("pia@example.test", "pias own password", Authenticator.Code(key));
        var redirect = Uri.EscapeDataString(portal.Url("/signin-oidc").ToString());

        var response = await browser.GetAsync(
            $"/connect/authorize?client_id={BuiltInClient.ClientId}&response_type=code&scope=openid&redirect_uri={redirect}&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs{method}&state=s&nonce=n");

        var location = response.Headers.Location?.Query ?? "";
        Assert.DoesNotContain("code=", location, StringComparison.Ordinal);
        Assert.True(location.Contains("error=invalid_request", StringComparison.Ordinal) || response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {response.Headers.Location}");
    }
}
