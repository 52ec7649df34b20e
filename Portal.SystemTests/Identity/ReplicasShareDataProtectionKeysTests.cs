using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Pages.Account.Provider;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// Two portals on one PostgreSQL database, each with a data folder of its own (as two containers without a shared
/// volume): what one protects with Data Protection (a session cookie, an antiforgery token, any payload) the other
/// accepts, because the key ring lives in the database. A portal with a database of its own refuses the same things.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ReplicasShareDataProtectionKeysTests(PostgresServer postgres) : IAsyncLifetime
{
    private PortalFactory _one = null!;
    private PortalFactory _two = null!;
    private PortalFactory _elsewhere = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync(),
        };
        _one = new PortalFactory(settings);
        _ = _one.Services;

        // Started after the first has made the key ring, as a replica added to a running portal.
        _two = new PortalFactory(settings);
        _ = _two.Services;
        _elsewhere = new PortalFactory();
        _ = _elsewhere.Services;
        Assert.NotEqual(_one.DataDirectory, _two.DataDirectory);
    }

    public async Task DisposeAsync()
    {
        await _one.DisposeAsync();
        await _two.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    [Fact]
    public void A_payload_protected_by_one_replica_is_unprotected_by_the_other()
    {
        var payload = Protector(_one).Protect("shared secret");

        Assert.Equal("shared secret", Protector(_two).Unprotect(payload));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => Protector(_elsewhere).Unprotect(payload));
        Assert.False(Directory.Exists(Path.Combine(_one.DataDirectory, "keys")));
        Assert.False(Directory.Exists(Path.Combine(_two.DataDirectory, "keys")));
    }

    [Fact]
    public async Task A_session_cookie_made_by_one_replica_signs_in_at_the_other()
    {
        var cookie = Sessions.CookieValue(_one.Services, Sessions.TokenClaims(Persona.Requester));

        using var atTwo = await GetWithCookieAsync(_two, cookie);
        using var elsewhere = await GetWithCookieAsync(_elsewhere, cookie);

        Assert.Equal(HttpStatusCode.OK, atTwo.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
        Assert.StartsWith("/account/signin", elsewhere.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_antiforgery_token_from_one_replicas_form_is_accepted_by_the_other()
    {
        using var fromOne = _one.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var page = await fromOne.GetAsync(new Uri("/account/login", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, "the sign-in page has no antiforgery token");
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        using var atTwo = await PostSignInAsync(_two, cookies, token.Groups[1].Value);
        using var elsewhere = await PostSignInAsync(_elsewhere, cookies, token.Groups[1].Value);

        // Accepted: the form was processed and answered that the (unknown) user's password is wrong.
        Assert.Equal(HttpStatusCode.OK, atTwo.StatusCode);
        Assert.Contains(LoginModel.WrongCredentials, WebUtility.HtmlDecode(await atTwo.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }

    private static IDataProtector Protector(PortalFactory portal) =>
        portal.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.Tests.Replicas");

    private static async Task<HttpResponseMessage> GetWithCookieAsync(PortalFactory portal, string cookie)
    {
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/requests");
        request.Headers.Add("Cookie", $".portal.session={cookie}");
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(PortalFactory portal, string cookies, string token)
    {
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(
            [
                new("Email", "nobody@example.test"), new("Password", "not the password"), new("__RequestVerificationToken", token),
            ]),
        };
        request.Headers.Add("Cookie", cookies);
        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
