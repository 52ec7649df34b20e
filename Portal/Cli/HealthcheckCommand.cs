namespace Portal.Cli;

/// <summary>
/// <c>healthcheck [URL]</c>: exits 0 when the portal's liveness probe answers 200. The container's HEALTHCHECK uses it
/// because the runtime image carries no curl.
/// </summary>
public static class HealthcheckCommand
{
    public const string DefaultUrl = "http://127.0.0.1:8080/healthz";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var url = args.Length > 0 ? args[0] : DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await stderr.WriteLineAsync($"healthcheck: '{url}' is not an http(s) URL.");
            return 2;
        }

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(uri);
            await stdout.WriteLineAsync($"{(int)response.StatusCode} {uri}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await stderr.WriteLineAsync($"healthcheck: {uri}: {ex.Message}");
            return 1;
        }
    }
}
