using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Portal.Cli;

/// <summary>Why a command stopped: the exit code, a sentence for the person, and the portal's problem document if it sent one.</summary>
public sealed class CliStopException(int exitCode, string message, JsonElement? problem = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public JsonElement? Problem { get; } = problem;
}

/// <summary>
/// HTTP to one portal: the token endpoint (client credentials, device code) and the API with a bearer token. Every
/// answer that is not a success becomes a <see cref="CliStopException"/> with the problem document's title, detail and fields.
/// </summary>
public sealed class PortalConnection : IDisposable
{
    private readonly HttpClient _http;

    public PortalConnection(Uri portal, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(portal);
        ArgumentNullException.ThrowIfNull(environment);
        Portal = portal;
        _http = new HttpClient(environment.Handler?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true)
        {
            BaseAddress = portal,
            Timeout = TimeSpan.FromMinutes(30),
        };
    }

    public Uri Portal { get; }

    public string? AccessToken
    {
        set => _http.DefaultRequestHeaders.Authorization = value is null ? null : new AuthenticationHeaderValue("Bearer", value);
    }

    /// <summary>POSTs a form to the token or device endpoint; OAuth errors come back as JSON with <c>error</c>, returned as they are.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(string path, IDictionary<string, string> fields, CancellationToken ct)
    {
        using var content = new FormUrlEncodedContent(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };

        // The provider's endpoints take no bearer token.
        request.Headers.Authorization = null;
        using var response = await SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, Parse(text) ?? throw new CliStopException(ExitCodes.Failure, $"The portal answered {(int)response.StatusCode} without JSON at {path}."));
    }

    public async Task<JsonElement> SendJsonAsync(HttpMethod method, string path, HttpContent? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body };
        using var response = await SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var json = Parse(text);
        if (response.IsSuccessStatusCode)
        {
            return json ?? JsonDocument.Parse("{}").RootElement.Clone();
        }

        throw Stop((int)response.StatusCode, json);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new CliStopException(ExitCodes.Failure, $"Cannot reach the portal at {Portal}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliStopException(ExitCodes.Failure, $"The portal at {Portal} did not answer in time.");
        }
    }

    private static CliStopException Stop(int status, JsonElement? problem)
    {
        var parts = new List<string>();
        if (problem is { ValueKind: JsonValueKind.Object } p)
        {
            if (p.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 } t)
            {
                parts.Add(t);
            }

            if (p.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } d && !parts.Contains(d))
            {
                parts.Add(d);
            }

            if (p.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errors.EnumerateObject())
                {
                    foreach (var message in field.Value.EnumerateArray())
                    {
                        parts.Add($"{field.Name}: {message.GetString()}");
                    }
                }
            }
        }

        var text = parts.Count > 0 ? string.Join(Environment.NewLine + "  ", parts) : $"The portal answered {status}.";
        if (status == 401)
        {
            text += Environment.NewLine + "  Sign in again: portal-cli login (or set PORTAL_CLIENT_ID and PORTAL_CLIENT_SECRET for a service account).";
        }

        return new CliStopException(ExitCodes.ForStatus(status), text, problem);
    }

    private static JsonElement? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
