using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// The provider's endpoints that take guesses are rate limited: the token endpoint and device authorization per client
/// id and address (Identity:TokenPermitLimit per Identity:TokenWindow), the device verification page per address
/// (Identity:VerificationPermitLimit per Identity:VerificationWindow). Over the limit: 429 with Retry-After, an OAuth
/// error document on the token endpoint (slow_down for a terminal polling its device code).
/// </summary>
public sealed class TokenEndpointRateLimitTests
{
    private static Dictionary<string, string?> Limits() => new()
    {
        ["Identity:TokenPermitLimit"] = "3",
        ["Identity:TokenWindow"] = "00:10:00",
        ["Identity:VerificationPermitLimit"] = "2",
        ["Identity:VerificationWindow"] = "00:10:00",
    };

    [Fact]
    public async Task Token_requests_over_the_limit_get_429_per_client_with_retry_after()
    {
        await using var portal = new LivePortal(Limits());
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };

        for (var i = 0; i < 3; i++)
        {
            using var refused = await ClientCredentialsAsync(client, "svc-guesser", $"guess {i}");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        using var limited = await ClientCredentialsAsync(client, "svc-guesser", "the right one at last");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        var error = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("temporarily_unavailable", error.GetProperty("error").GetString());
        Assert.Contains("Too many requests", error.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        // Another client from the same address has its own budget.
        using var other = await ClientCredentialsAsync(client, "svc-other", "a guess");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    [Fact]
    public async Task The_portals_own_sign_ins_have_their_own_larger_budget()
    {
        var limits = Limits();
        limits["Identity:PortalSignInTokenPermitLimit"] = "6";
        await using var portal = new LivePortal(limits);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };

        // Each person's sign-in is one code exchange from the portal's server: more than the clients' limit of 3.
        for (var i = 0; i < 6; i++)
        {
            using var exchange = await CodeExchangeAsync(client, $"code-{i}");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, exchange.StatusCode);
        }

        using var limited = await CodeExchangeAsync(client, "code-6");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        // The portal's client with another grant counts against the clients' limit, not the sign-ins' budget.
        for (var i = 0; i < 3; i++)
        {
            using var refused = await ClientCredentialsAsync(client, BuiltInClient.ClientId, $"guess {i}");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        using var guessing = await ClientCredentialsAsync(client, BuiltInClient.ClientId, "guess 3");
        Assert.Equal(HttpStatusCode.TooManyRequests, guessing.StatusCode);
    }

    [Fact]
    public async Task A_terminal_polling_too_often_is_told_to_slow_down()
    {
        await using var portal = new LivePortal(Limits());
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };

        using var device = await PostAsync(client, ProviderRateLimits.DeviceAuthorizationPath, new() { ["client_id"] = BuiltInClient.CliClientId, ["scope"] = "openid profile" });
        var code = (await device.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("device_code").GetString()!;
        var poll = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = code,
            ["client_id"] = BuiltInClient.CliClientId,
        };
        for (var i = 0; i < 2; i++)
        {
            using var pending = await PostAsync(client, ProviderRateLimits.TokenPath, poll);
            Assert.Equal("authorization_pending", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        // The device authorization request and the polls share the client's budget.
        using var limited = await PostAsync(client, ProviderRateLimits.TokenPath, poll);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("slow_down", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_verification_page_limits_guesses_of_codes_per_address()
    {
        await using var portal = new LivePortal(Limits());
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = portal.BaseAddress };

        for (var i = 0; i < 2; i++)
        {
            using var page = await client.GetAsync($"{DeviceVerificationEndpoint.Path}?user_code=GUESS-{i:0000}");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, page.StatusCode);
        }

        using var limited = await client.GetAsync($"{DeviceVerificationEndpoint.Path}?user_code=GUESS-9999");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        Assert.Contains("Too many attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The sign-in pages are limited separately: reading them still works.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.GetAsync("/account/login")).StatusCode);
    }

    private static Task<HttpResponseMessage> CodeExchangeAsync(HttpClient client, string code) =>
        PostAsync(client, ProviderRateLimits.TokenPath, new()
        {
            ["grant_type"] = "authorization_code", ["client_id"] = BuiltInClient.ClientId, ["client_secret"] = "not the secret",
            ["code"] = code, ["redirect_uri"] = "https://localhost/signin-oidc",
        });

    private static Task<HttpResponseMessage> ClientCredentialsAsync(HttpClient client, string clientId, string secret) =>
        PostAsync(client, ProviderRateLimits.TokenPath, new() { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret });

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        using var body = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(path, UriKind.Relative), body);
    }
}
