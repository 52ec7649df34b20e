using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// The provider's end-session endpoint signs out only on a valid id_token_hint or its own confirmation form: a bare
/// GET (a link or an image on any site) shows the form and leaves the session alone.
/// </summary>
public sealed class EndSessionTests
{
    private const string Email = "eve@example.test";
    private const string Password = "eves own password";

    [Fact]
    public async Task A_bare_get_asks_for_confirmation_and_signs_out_only_when_the_form_is_posted()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync(Email, Password, Authenticator.Code(key));

        var bare = await browser.GetAsync("/connect/logout");
        Assert.True(bare.StatusCode == HttpStatusCode.OK, $"{(int)bare.StatusCode} {bare.Headers.Location} {await bare.Content.ReadAsStringAsync()}");
        Assert.Contains("confirm-sign-out", await bare.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("code=", (await AuthorizeAsync(browser)).Headers.Location!.Query, StringComparison.Ordinal);

        var confirmed = await browser.PostFormAsync("/connect/logout", "/connect/logout", (AuthorizationEndpoints.ConfirmField, "1"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/account/login", (await AuthorizeAsync(browser)).Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_does_not_sign_out()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync(Email, Password, Authenticator.Code(key));

        using var forged = new FormUrlEncodedContent([new(AuthorizationEndpoints.ConfirmField, "1")]);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = browser.Cookies }) { BaseAddress = portal.BaseAddress };
        var response = await client.PostAsync(new Uri("/connect/logout", UriKind.Relative), forged);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("code=", (await AuthorizeAsync(browser)).Headers.Location!.Query, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> AuthorizeAsync(HttpBrowser browser)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var redirect = Uri.EscapeDataString(browser.Portal.Url("/signin-oidc").ToString());
        return browser.GetAsync(
            $"/connect/authorize?client_id={BuiltInClient.ClientId}&response_type=code&scope=openid&redirect_uri={redirect}&code_challenge={challenge}&code_challenge_method=S256&state=s&nonce=n");
    }
}
