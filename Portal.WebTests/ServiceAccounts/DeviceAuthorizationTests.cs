using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Api;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.ServiceAccounts;

/// <summary>
/// The command line's sign-in (device authorization grant, RFC 8628): the terminal gets a code, polls and is told to
/// wait; the person signs in with password and TOTP in the browser, confirms the code, and the next poll gets a token
/// carrying the person's own roles and MFA. A denied code gives nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DeviceAuthorizationTests(ApiPortal api)
{
    [Fact]
    public async Task A_person_who_confirms_the_code_gives_the_terminal_their_own_token()
    {
        await api.UserAsync("device@example.test", "Devi Device", PortalRole.Requester, PortalRole.Approver);
        using var terminal = new HttpClient { BaseAddress = api.Portal.BaseAddress };
        var device = await DeviceCodeAsync(terminal);
        Assert.Equal("authorization_pending", (await PollAsync(terminal, device)).GetProperty("error").GetString());

        using var browser = await api.SignedInAsync("device@example.test");
        var userCode = device.GetProperty("user_code").GetString()!;
        var page = await browser.GetAsync($"/connect/verify?user_code={Uri.EscapeDataString(userCode)}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("Devi Device", html, StringComparison.Ordinal);

        var allowed = await browser.PostFromPageAsync($"/connect/verify?user_code={Uri.EscapeDataString(userCode)}", "/connect/verify",
            ("user_code", userCode), (DeviceVerificationEndpoint.DecisionField, "allow"));
        Assert.True(allowed.StatusCode == HttpStatusCode.Redirect, await allowed.Content.ReadAsStringAsync());

        var token = await PollAsync(terminal, device);
        Assert.True(token.TryGetProperty("access_token", out var accessToken), token.ToString());
        using var client = api.Client(accessToken.GetString());
        var me = await ReadAsync(await client.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal("Devi Device", me.GetProperty("displayName").GetString());
        Assert.Equal(["Approver", "Requester"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray());
    }

    [Fact]
    public async Task A_denied_code_gives_no_token_and_an_unknown_code_is_asked_for_again()
    {
        await api.UserAsync("device-deny@example.test", "Dan Deny", PortalRole.Requester);
        using var terminal = new HttpClient { BaseAddress = api.Portal.BaseAddress };
        var device = await DeviceCodeAsync(terminal);
        var userCode = device.GetProperty("user_code").GetString()!;
        using var browser = await api.SignedInAsync("device-deny@example.test");

        var unknown = await (await browser.GetAsync("/connect/verify?user_code=NOPE-NOPE")).Content.ReadAsStringAsync();
        Assert.True(unknown.Contains("That code is not valid or has expired.", StringComparison.Ordinal), unknown);

        var denied = await browser.PostFromPageAsync($"/connect/verify?user_code={Uri.EscapeDataString(userCode)}", "/connect/verify",
            ("user_code", userCode), (DeviceVerificationEndpoint.DecisionField, "deny"));
        Assert.True(denied.StatusCode == HttpStatusCode.Redirect, await denied.Content.ReadAsStringAsync());
        Assert.Equal("access_denied", (await PollAsync(terminal, device)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Without_a_provider_session_the_verification_page_sends_the_person_to_sign_in_first()
    {
        using var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = api.Portal.BaseAddress };

        var response = await anonymous.GetAsync("/connect/verify?user_code=ABCD-EFGH");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.PathAndQuery : response.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> DeviceCodeAsync(HttpClient terminal)
    {
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = BuiltInClient.CliClientId, ["scope"] = "openid profile roles" });
        using var response = await terminal.PostAsync(new Uri("/connect/device", UriKind.Relative), body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        Assert.EndsWith("/connect/verify", json.GetProperty("verification_uri").GetString(), StringComparison.Ordinal);
        return json;
    }

    private static async Task<JsonElement> PollAsync(HttpClient terminal, JsonElement device)
    {
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = device.GetProperty("device_code").GetString()!,
            ["client_id"] = BuiltInClient.CliClientId,
        });
        using var response = await terminal.PostAsync(new Uri("/connect/token", UriKind.Relative), body);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
