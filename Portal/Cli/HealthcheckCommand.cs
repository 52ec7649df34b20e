using System.CommandLine;

namespace Portal.Cli;

/// <summary>
/// <c>healthcheck [URL]</c>: exits 0 when the portal's liveness probe answers 200. The container's HEALTHCHECK uses it
/// because the runtime image carries no curl.
/// </summary>
public static class HealthcheckCommand
{
    public const string DefaultUrl = "http://127.0.0.1:8080/healthz";

    public const int BadUrl = 2;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        return PortalCli.RunAsync(["healthcheck", .. args], stdout, stderr);
    }

    internal static PortalVerb Create(TextWriter stdout, TextWriter stderr)
    {
        var url = new Argument<string>("url") { Description = "The liveness probe to ask", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultUrl };
        var command = new Command("healthcheck", "Exit 0 when the portal's liveness probe answers 200, 1 when it does not (2 for a bad URL).") { url };
        command.SetAction((parse, ct) => CheckAsync(parse.GetValue(url) ?? DefaultUrl, stdout, stderr));
        return new PortalVerb(command, BadUrl, (_, problem) => $"healthcheck: {problem}");
    }

    private static async Task<int> CheckAsync(string url, TextWriter stdout, TextWriter stderr)
    {
        // System.CommandLine hands an unknown option to the URL argument, which has room for it.
        if (url.StartsWith('-'))
        {
            await stderr.WriteLineAsync($"healthcheck: unknown argument '{url}'.{Environment.NewLine}Run 'Portal healthcheck --help' for its options.");
            return BadUrl;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await stderr.WriteLineAsync($"healthcheck: '{url}' is not an http(s) URL.");
            return BadUrl;
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
