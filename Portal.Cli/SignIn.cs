using System.Net;
using System.Text.Json;

namespace Portal.Cli;

/// <summary>
/// Getting a token: a service account's client credentials (options or <c>PORTAL_CLIENT_ID</c>/<c>PORTAL_CLIENT_SECRET</c>),
/// or a person's device code (RFC 8628), confirmed in the browser after the usual sign-in with MFA.
/// </summary>
public sealed class SignIn(CliEnvironment environment)
{
    public const string CliClientId = "portal-cli";

    private readonly TokenStore _store = new(environment);

    /// <summary>The portal to talk to: <c>--url</c>, else <c>PORTAL_URL</c>, else the one signed in to last.</summary>
    public Uri PortalUrl(string? option)
    {
        var text = option is { Length: > 0 } ? option
            : environment.Variable(CliEnvironment.UrlVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : _store.Read()?.Portal.ToString();
        if (text is null)
        {
            throw new CliStopException(ExitCodes.Usage, $"Say which portal: --url https://portal.example.com, or set {CliEnvironment.UrlVariable}.");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new CliStopException(ExitCodes.Usage, $"'{text}' is not the address of a portal (https://...).");
        }

        return new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
    }

    /// <summary>A connection carrying a token: fresh client credentials from the environment, or the stored sign-in.</summary>
    public async Task<PortalConnection> ConnectAsync(string? urlOption, CancellationToken ct)
    {
        var url = PortalUrl(urlOption);
        var connection = new PortalConnection(url, environment);
        try
        {
            if (environment.Variable(CliEnvironment.ClientIdVariable) is { Length: > 0 } clientId
                && environment.Variable(CliEnvironment.ClientSecretVariable) is { Length: > 0 } secret)
            {
                connection.AccessToken = (await ClientCredentialsAsync(connection, clientId, secret, ct)).AccessToken;
                return connection;
            }

            var stored = _store.Read();
            if (stored is null || stored.Portal != url)
            {
                throw new CliStopException(ExitCodes.NotSignedIn, $"Not signed in to {url}: run portal-cli login --url {url}");
            }

            if (stored.ExpiresAt <= environment.Clock.GetUtcNow().AddSeconds(30))
            {
                if (stored.RefreshToken is null)
                {
                    throw new CliStopException(ExitCodes.NotSignedIn, $"The sign-in to {url} has expired: run portal-cli login");
                }

                stored = await RefreshAsync(connection, stored, ct);
            }

            connection.AccessToken = stored.AccessToken;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Renews a person's sign-in with its refresh token and keeps the new pair (the portal rotates the refresh token at
    /// every use). When the portal refuses (the session's idle or maximum lifetime is over, the account was disabled,
    /// the person signed out), the stored sign-in is forgotten and the person is told to sign in again.
    /// </summary>
    private async Task<StoredToken> RefreshAsync(PortalConnection connection, StoredToken stored, CancellationToken ct)
    {
        var (status, body) = await connection.PostFormAsync("/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = stored.RefreshToken!,
            ["client_id"] = CliClientId,
        }, ct);
        if (status == HttpStatusCode.OK)
        {
            var renewed = Token(connection.Portal, body, StoredToken.PersonKind, null);
            _store.Write(renewed);
            return renewed;
        }

        if ((int)status >= 500 || status == HttpStatusCode.TooManyRequests)
        {
            throw new CliStopException(ExitCodes.Failure, $"The portal could not renew the sign-in to {connection.Portal} now ({(int)status}): {Describe(body)}");
        }

        _store.Delete();
        throw new CliStopException(ExitCodes.NotSignedIn,
            $"The sign-in to {connection.Portal} has ended: {Describe(body)}{Environment.NewLine}  Sign in again: portal-cli login --url {connection.Portal}");
    }

    public async Task<StoredToken> ClientCredentialsAsync(PortalConnection connection, string clientId, string secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var (status, body) = await connection.PostFormAsync("/connect/token", new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }, ct);
        if (status != HttpStatusCode.OK)
        {
            throw new CliStopException(ExitCodes.NotSignedIn, $"The portal refused the service account {clientId}: {Describe(body)}");
        }

        return Token(connection.Portal, body, StoredToken.ServiceAccountKind, clientId);
    }

    /// <summary>The device code flow: show the address and code, then poll at the interval the portal asks for.</summary>
    public async Task<StoredToken> DeviceCodeAsync(PortalConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var (status, device) = await connection.PostFormAsync("/connect/device", new Dictionary<string, string>
        {
            ["client_id"] = CliClientId,
            // offline_access: a refresh token, so the sign-in lasts while it is used, within the portal's limits.
            ["scope"] = "openid profile email roles offline_access",
        }, ct);
        if (status != HttpStatusCode.OK)
        {
            throw new CliStopException(ExitCodes.Failure, $"The portal did not start a sign-in: {Describe(device)}");
        }

        var userCode = device.GetProperty("user_code").GetString();
        var address = device.TryGetProperty("verification_uri_complete", out var complete) ? complete.GetString() : device.GetProperty("verification_uri").GetString();
        await environment.Error.WriteLineAsync($"To sign in, open {address}");
        await environment.Error.WriteLineAsync($"and check that the page shows the code {userCode}. Waiting...");

        var interval = TimeSpan.FromSeconds(device.TryGetProperty("interval", out var seconds) && seconds.TryGetInt32(out var s) ? s : 5);
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = device.GetProperty("device_code").GetString()!,
            ["client_id"] = CliClientId,
        };
        while (true)
        {
            await Task.Delay(interval, environment.Clock, ct);
            var (pollStatus, answer) = await connection.PostFormAsync("/connect/token", fields, ct);
            if (pollStatus == HttpStatusCode.OK)
            {
                return Token(connection.Portal, answer, StoredToken.PersonKind, null);
            }

            switch (answer.TryGetProperty("error", out var error) ? error.GetString() : null)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                case "access_denied":
                    throw new CliStopException(ExitCodes.NotSignedIn, "The sign-in was denied in the browser.");
                case "expired_token":
                    throw new CliStopException(ExitCodes.NotSignedIn, "The code expired before anyone confirmed it: run portal-cli login again.");
                default:
                    throw new CliStopException(ExitCodes.NotSignedIn, $"The sign-in failed: {Describe(answer)}");
            }
        }
    }

    public void Store(StoredToken token) => _store.Write(token);

    public bool Forget() => _store.Delete();

    private StoredToken Token(Uri portal, JsonElement body, string kind, string? clientId)
    {
        var lifetime = body.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var secs) ? secs : 300;
        var refresh = kind == StoredToken.PersonKind && body.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
        return new StoredToken(portal, body.GetProperty("access_token").GetString()!, environment.Clock.GetUtcNow().AddSeconds(lifetime), kind, clientId, refresh);
    }

    private static string Describe(JsonElement body) =>
        body.TryGetProperty("error_description", out var description) && description.GetString() is { Length: > 0 } d ? d
        : body.TryGetProperty("error", out var error) ? error.GetString() ?? body.ToString()
        : body.ToString();
}
