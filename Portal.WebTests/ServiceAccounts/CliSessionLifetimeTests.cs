using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Api;

namespace Portal.Tests.ServiceAccounts;

/// <summary>
/// The portal bounds a command-line sign-in: each refresh token lasts Identity:CommandLineIdleLifetime, and however
/// often it is renewed, none is honoured past Identity:CommandLineMaxLifetime after the device code was confirmed.
/// </summary>
public sealed class CliSessionLifetimeTests : IAsyncLifetime
{
    private readonly ApiPortal _api = new()
    {
        Settings = new Dictionary<string, string?>
        {
            ["Identity:CommandLineIdleLifetime"] = "00:30:00",
            ["Identity:CommandLineMaxLifetime"] = "01:00:00",
        },
    };

    public Task InitializeAsync() => _api.InitializeAsync();

    public Task DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task Renewals_stop_at_the_maximum_lifetime_with_a_reason()
    {
        await _api.UserAsync("lifetime@example.test", "Lia Lifetime", PortalRole.Requester);
        var answer = await CliSessionRefreshTests.DeviceSignInAsync(_api, "lifetime@example.test");
        Assert.InRange(answer.GetProperty("refresh_token").GetString()!.Length, 1, int.MaxValue);
        var refresh = answer.GetProperty("refresh_token").GetString()!;

        // Used every 25 minutes: within the idle lifetime each time, so the first two renewals work.
        for (var i = 1; i <= 2; i++)
        {
            _api.Clock.Offset = TimeSpan.FromMinutes(25 * i);
            var (status, renewed) = await RefreshAsync(refresh);
            Assert.True(status == HttpStatusCode.OK, renewed.ToString());
            refresh = renewed.GetProperty("refresh_token").GetString()!;
        }

        // 75 minutes after the sign-in: past the one-hour maximum, though the last refresh token is only 25 minutes old
        // (the portal issued it to last no longer than the sign-in may).
        _api.Clock.Offset = TimeSpan.FromMinutes(75);
        var (refusedStatus, refused) = await RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.BadRequest, refusedStatus);
        Assert.Equal("invalid_grant", refused.GetProperty("error").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken)
    {
        using var client = new HttpClient { BaseAddress = _api.Portal.BaseAddress };
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = BuiltInClient.CliClientId,
        });
        using var response = await client.PostAsync(new Uri("/connect/token", UriKind.Relative), body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
