using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Identity;

namespace Portal.Tests.Api;

/// <summary>A clock the tests can move forward, so a sign-in becomes too old for step-up without waiting.</summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>
/// The portal on loopback with the built-in provider, and people who sign in there for real (password, then TOTP) and
/// redeem an authorization code (PKCE) at its token endpoint: the API sees the same bearer tokens a script would hold.
/// </summary>
public sealed partial class ApiPortal : IAsyncLifetime
{
    public const string Password = "api test password 1";

    public MovableClock Clock { get; } = new();

    public LivePortal Portal { get; private set; } = null!;

    /// <summary>More settings for the portal (an AWS endpoint, content limits), applied over the defaults below.</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }

    /// <summary>The portal's data folder, when the settings need to know it first.</summary>
    public string? DataDirectory { get; init; }

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task InitializeAsync()
    {
        var closedPort = LivePortal.FreePort();
        var settings = new Dictionary<string, string?>
        {
            // Health checks ask a resolver on loopback where nobody answers: nothing leaves the machine.
            ["Dns:Servers:0"] = $"127.0.0.1:{closedPort}",
            ["Dns:Timeout"] = "00:00:01",
            ["Health:Timeout"] = "00:00:02",
            ["Health:ScheduledScans"] = "false",
            // Every test here signs people in from the same address.
            ["Identity:SignInPermitLimit"] = "1000",
            ["Identity:TokenPermitLimit"] = "1000",
            ["Identity:VerificationPermitLimit"] = "1000",
        };
        foreach (var (key, value) in Settings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        Portal = new LivePortal(settings, dataDirectory: DataDirectory, testServices: services => services.AddSingleton<TimeProvider>(Clock));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _gate.Dispose();
        await Portal.DisposeAsync();
    }

    /// <summary>A built-in user with TOTP enrolled and the given roles.</summary>
    public async Task<string> UserAsync(string email, string name, params PortalRole[] roles)
    {
        var (user, key) = await Portal.EnrolledUserAsync(email, name, Password, roles);
        lock (_keys)
        {
            _keys[email] = key;
        }

        return user.Id;
    }

    public bool HasUser(string email)
    {
        lock (_keys)
        {
            return _keys.ContainsKey(email);
        }
    }

    /// <summary>One sign-in per person for a test class's many calls (a TOTP code is good for one sign-in only).</summary>
    public async Task<string> CachedTokenAsync(string email)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_tokens.TryGetValue(email, out var token))
            {
                token = await TokenAsync(email);
                _tokens[email] = token;
            }

            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Signs in at the provider's pages and runs the authorization code flow; returns the access token.</summary>
    public async Task<string> TokenAsync(string email)
    {
        using var form = await SignedInAsync(email);

        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var redirect = Portal.Url("/signin-oidc").ToString();
        var authorize = await form.GetAsync(
            $"/connect/authorize?client_id={BuiltInClient.ClientId}&response_type=code&scope=openid%20profile%20email%20roles"
            + $"&redirect_uri={Uri.EscapeDataString(redirect)}&code_challenge={challenge}&code_challenge_method=S256&state=api-test&nonce=api-test");
        Assert.True(authorize.StatusCode == HttpStatusCode.Redirect, $"authorize answered {(int)authorize.StatusCode}: {await authorize.Content.ReadAsStringAsync()}");
        var granted = CodeParameter().Match(authorize.Headers.Location!.Query);
        Assert.True(granted.Success, $"no code in {authorize.Headers.Location}");

        using var client = new HttpClient { BaseAddress = Portal.BaseAddress };
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = Uri.UnescapeDataString(granted.Groups[1].Value),
            ["redirect_uri"] = redirect,
            ["code_verifier"] = verifier,
            ["client_id"] = BuiltInClient.ClientId,
            ["client_secret"] = Portal.Services.GetRequiredService<IdentityKeyRing>().ClientSecret(),
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json.GetProperty("access_token").GetString()!;
    }

    /// <summary>A browser-like client signed in at the provider's pages (password, then TOTP) as <paramref name="email"/>.</summary>
    public async Task<SignInForm> SignedInAsync(string email)
    {
        var form = new SignInForm(Portal);
        var password = await form.PostAsync("/account/login", ("Email", email), ("Password", Password));
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        var code = await form.PostAsync("/account/login-code", ("Code", Authenticator.Code(_keys[email])));
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        return form;
    }

    /// <summary>The token endpoint's answer to a service account's client credentials (status and JSON body).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> ClientCredentialsAsync(string clientId, string secret)
    {
        using var client = new HttpClient { BaseAddress = Portal.BaseAddress };
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>An API client carrying <paramref name="token"/> (or none).</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Portal.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    [GeneratedRegex("[?&]code=([^&]+)")]
    private static partial Regex CodeParameter();
}
