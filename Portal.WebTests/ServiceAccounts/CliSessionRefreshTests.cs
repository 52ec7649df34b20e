using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Cli;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Api;

namespace Portal.Tests.ServiceAccounts;

/// <summary>
/// A person's command-line sign-in lasts while it is used: the device code grant gives a refresh token
/// (offline_access), portal-cli renews an expired access token with it silently and keeps the new, rotated pair; when
/// the portal refuses the renewal (account disabled, lifetime over) portal-cli forgets the sign-in and says to sign in
/// again, with exit code 3. A service account never gets a refresh token.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CliSessionRefreshTests(ApiPortal api)
{
    [Fact]
    public async Task An_expired_access_token_is_renewed_silently_with_a_rotated_refresh_token()
    {
        await api.UserAsync("refresh@example.test", "Rhea Refresh", PortalRole.Requester);
        var signedIn = await DeviceSignInAsync(api, "refresh@example.test");
        var first = signedIn.GetProperty("refresh_token").GetString()!;
        using var cli = new Cli(api);
        cli.Store.Write(Expired(api, signedIn));

        var listed = await cli.RunAsync("requests", "list");

        Assert.True(listed.Code == ExitCodes.Success, listed.Error);
        var renewed = cli.Store.Read()!;
        Assert.NotNull(renewed.RefreshToken);
        Assert.NotEqual(first, renewed.RefreshToken);
        Assert.True(renewed.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(5), $"the renewed token expires at {renewed.ExpiresAt}");

        // The rotated refresh token renews again.
        cli.Store.Write(renewed with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("requests", "list")).Code);
    }

    [Fact]
    public async Task When_the_portal_refuses_the_renewal_the_person_is_told_to_sign_in_again()
    {
        await api.UserAsync("refresh-off@example.test", "Otto Off", PortalRole.Requester);
        var signedIn = await DeviceSignInAsync(api, "refresh-off@example.test");
        using var cli = new Cli(api);
        cli.Store.Write(Expired(api, signedIn));
        await using (var scope = api.Portal.Services.CreateAsyncScope())
        {
            var disabled = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .SetDisabledAsync(new SetUserDisabledCommand(UserKey.ByEmail("refresh-off@example.test"), Disabled: true));
            Assert.True(disabled.Succeeded, disabled.Error);
        }

        var listed = await cli.RunAsync("requests", "list");

        Assert.Equal(ExitCodes.NotSignedIn, listed.Code);
        Assert.Contains("has ended", listed.Error, StringComparison.Ordinal);
        Assert.Contains("Sign in again: portal-cli login", listed.Error, StringComparison.Ordinal);
        Assert.Null(cli.Store.Read());
    }

    [Fact]
    public async Task A_service_account_gets_no_refresh_token()
    {
        var account = await ServiceAccountFixture.CreateAsync(api, "No refresh pipeline");
        using var client = new HttpClient { BaseAddress = api.Portal.BaseAddress };

        foreach (var scope in new[] { "", "offline_access" })
        {
            using var body = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = account.ClientId,
                ["client_secret"] = account.Secret,
                ["scope"] = scope,
            });
            using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), body);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(answer.TryGetProperty("refresh_token", out _), answer.ToString());
        }
    }

    /// <summary>The device code grant as portal-cli runs it, confirmed in the browser by <paramref name="email"/>; the token endpoint's answer.</summary>
    internal static async Task<JsonElement> DeviceSignInAsync(ApiPortal api, string email)
    {
        using var terminal = new HttpClient { BaseAddress = api.Portal.BaseAddress };
        using var request = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = BuiltInClient.CliClientId,
            ["scope"] = "openid profile email roles offline_access",
        });
        using var started = await terminal.PostAsync(new Uri("/connect/device", UriKind.Relative), request);
        var device = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(started.IsSuccessStatusCode, device.ToString());

        using var browser = await api.SignedInAsync(email);
        var userCode = device.GetProperty("user_code").GetString()!;
        var allowed = await browser.PostFromPageAsync($"/connect/verify?user_code={Uri.EscapeDataString(userCode)}", "/connect/verify",
            ("user_code", userCode), (DeviceVerificationEndpoint.DecisionField, "allow"));
        Assert.True(allowed.StatusCode == HttpStatusCode.Redirect, await allowed.Content.ReadAsStringAsync());

        using var poll = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = device.GetProperty("device_code").GetString()!,
            ["client_id"] = BuiltInClient.CliClientId,
        });
        using var token = await terminal.PostAsync(new Uri("/connect/token", UriKind.Relative), poll);
        var answer = await token.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(token.IsSuccessStatusCode && answer.TryGetProperty("refresh_token", out _), answer.ToString());
        return answer;
    }

    /// <summary>The sign-in as portal-cli keeps it, with its access token already expired.</summary>
    private static StoredToken Expired(ApiPortal api, JsonElement answer) => new(
        api.Portal.BaseAddress, answer.GetProperty("access_token").GetString()!, DateTimeOffset.UtcNow.AddMinutes(-1), StoredToken.PersonKind, null,
        answer.GetProperty("refresh_token").GetString());

    /// <summary>portal-cli with its own configuration folder, pointed at the test portal.</summary>
    private sealed class Cli : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("cli-refresh-").FullName;
        private readonly Dictionary<string, string?> _environment;

        public Cli(ApiPortal api)
        {
            _environment = new Dictionary<string, string?>
            {
                [CliEnvironment.UrlVariable] = api.Portal.BaseAddress.ToString(),
                [CliEnvironment.ConfigVariable] = _folder,
            };
            Store = new TokenStore(Environment(TextWriter.Null, TextWriter.Null));
        }

        public TokenStore Store { get; }

        public async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
        {
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            using var error = new StringWriter(CultureInfo.InvariantCulture);
            var code = await PortalCliApp.RunAsync(args, Environment(output, error));
            return (code, output.ToString(), error.ToString());
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        private CliEnvironment Environment(TextWriter output, TextWriter error) => new(name => _environment.GetValueOrDefault(name), output, error, TimeProvider.System);
    }
}
