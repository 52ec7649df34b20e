using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// Signing out, and an admin disabling a user or resetting their MFA, end the sessions on the server: cookies copied
/// before are refused afterwards, the provider issues no code with its old cookie, and its tokens are revoked.
/// </summary>
public sealed class SignOutRevocationTests
{
    private const string Email = "sam@example.test";
    private const string Password = "sams own password";

    [Fact]
    public async Task Cookies_copied_before_sign_out_are_refused_afterwards_by_the_portal_and_the_provider()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync(Email, Password, Authenticator.Code(key));
        var session = browser.Cookie(".portal.session")!;
        var provider = browser.Cookie(".portal.idp")!;
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(portal, "/requests", ".portal.session", session)).StatusCode);
        Assert.Contains("code=", (await AuthorizeAsync(portal, provider)).Headers.Location!.Query, StringComparison.Ordinal);

        var signOut = await browser.PostFormAsync("/account/access-denied", "/account/signout");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        var portalAfter = await WithCookieAsync(portal, "/requests", ".portal.session", session);
        Assert.Equal(HttpStatusCode.Redirect, portalAfter.StatusCode);
        Assert.StartsWith("/account/signin", portalAfter.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        var providerAfter = await AuthorizeAsync(portal, provider);
        Assert.Equal(HttpStatusCode.Redirect, providerAfter.StatusCode);
        Assert.Equal("/account/login", providerAfter.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("reset-mfa")]
    public async Task An_admin_change_ends_the_users_sessions_and_revokes_their_tokens_at_once(string change)
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync(Email, Password, Authenticator.Code(key));
        var session = browser.Cookie(".portal.session")!;
        var provider = browser.Cookie(".portal.idp")!;
        string userId;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var who = UserKey.ByEmail(Email);
            var result = change == "disable"
                ? await admin.SetDisabledAsync(new SetUserDisabledCommand(who, Disabled: true, By: "adm-1"))
                : await admin.ResetMfaAsync(new ResetMfaCommand(who, By: "adm-1"));
            Assert.True(result.Succeeded, result.Error);
            userId = result.User!.Id;
        }

        Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(portal, "/requests", ".portal.session", session)).StatusCode);
        Assert.Equal("/account/login", (await AuthorizeAsync(portal, provider)).Headers.Location!.AbsolutePath);
        await using var check = portal.Services.CreateAsyncScope();
        var tokens = check.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var statuses = new List<string?>();
        await foreach (var token in tokens.FindBySubjectAsync(userId))
        {
            statuses.Add(await tokens.GetStatusAsync(token));
        }

        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal(OpenIddictConstants.Statuses.Revoked, s));
    }

    [Fact]
    public async Task An_access_token_of_a_disabled_user_is_refused_by_the_api_before_it_expires()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync(Email, Password, Authenticator.Code(key));
        var token = await AccessTokenAsync(portal, browser.Cookie(".portal.idp")!);
        using var api = new HttpClient { BaseAddress = portal.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(new Uri("/api/v1/requests", UriKind.Relative))).StatusCode);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<UserAdministration>().SetDisabledAsync(new SetUserDisabledCommand(UserKey.ByEmail(Email), Disabled: true));
            Assert.True(result.Succeeded, result.Error);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync(new Uri("/api/v1/requests", UriKind.Relative))).StatusCode);
    }

    /// <summary>The authorization code flow of the portal's client, run by hand with the provider's cookie; returns the access token.</summary>
    private static async Task<string> AccessTokenAsync(LivePortal portal, string providerCookie)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var redirect = portal.Url("/signin-oidc").ToString();
        var authorize = await WithCookieAsync(
            portal,
            $"/connect/authorize?client_id={BuiltInClient.ClientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(redirect)}&code_challenge={challenge}&code_challenge_method=S256&state=s&nonce=n",
            ".portal.idp",
            providerCookie);
        var code = System.Web.HttpUtility.ParseQueryString(authorize.Headers.Location!.Query)["code"]!;
        using var client = new HttpClient { BaseAddress = portal.BaseAddress };
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirect,
            ["code_verifier"] = verifier,
            ["client_id"] = BuiltInClient.ClientId,
            ["client_secret"] = portal.Services.GetRequiredService<IdentityKeyRing>().ClientSecret(),
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), body);
        var json = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content);
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpResponseMessage> WithCookieAsync(LivePortal portal, string path, string name, string value)
    {
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{name}={value}");
        return await client.SendAsync(request);
    }

    /// <summary>An authorization request of the portal's client, as a browser holding only the provider's cookie makes it.</summary>
    private static Task<HttpResponseMessage> AuthorizeAsync(LivePortal portal, string providerCookie)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var redirect = Uri.EscapeDataString(portal.Url("/signin-oidc").ToString());
        return WithCookieAsync(
            portal,
            $"/connect/authorize?client_id={BuiltInClient.ClientId}&response_type=code&scope=openid&redirect_uri={redirect}&code_challenge={challenge}&code_challenge_method=S256&state=s&nonce=n",
            ".portal.idp",
            providerCookie);
    }
}
