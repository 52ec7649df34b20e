using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Portal.Identity.Settings;

/// <summary>
/// The portal's own base URL: <c>Authentication:PublicOrigin</c> when set (behind a proxy), otherwise the address the
/// server listens on, with wildcard hosts read as localhost. The built-in provider's issuer and the portal's sign-in
/// links use it.
/// </summary>
public sealed class PortalOrigin(IOptions<PortalAuthenticationOptions> options, IServer server)
{
    public const string DefaultLocalOrigin = "http://localhost:5080";

    /// <summary>The origin sign-in uses, e.g. <c>http://localhost:5080</c> (no trailing slash).</summary>
    public Uri Primary => All[0];

    /// <summary>Every origin the portal can be reached at, the configured public one first.</summary>
    public IReadOnlyList<Uri> All
    {
        get
        {
            var origins = new List<Uri>();
            if (!string.IsNullOrWhiteSpace(options.Value.PublicOrigin))
            {
                origins.Add(Normalize(new Uri(options.Value.PublicOrigin)));
            }

            foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            {
                origins.AddRange(FromListenAddress(address));
            }

            if (origins.Count == 0)
            {
                origins.Add(new Uri(DefaultLocalOrigin));
            }

            return origins.Distinct().ToList();
        }
    }

    /// <summary>Origins for a Kestrel address such as <c>http://[::]:8080</c> or <c>http://+:80</c>.</summary>
    public static IEnumerable<Uri> FromListenAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            yield break;
        }

        var origin = Normalize(uri);
        yield return origin;
        if (origin.Host == "localhost")
        {
            yield return new UriBuilder(origin) { Host = "127.0.0.1" }.Uri;
        }
    }

    /// <summary>
    /// The origin for links made while the server is not running (CLI): <c>Authentication:PublicOrigin</c>, else the
    /// first of the configured listening URLs (<c>ASPNETCORE_URLS</c>), else http://localhost:5080.
    /// </summary>
    public static Uri ForLinks(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration["Authentication:PublicOrigin"] is { Length: > 0 } configured && Uri.TryCreate(configured, UriKind.Absolute, out var uri))
        {
            return Normalize(uri);
        }

        var listen = (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return listen.SelectMany(FromListenAddress).FirstOrDefault() ?? new Uri(DefaultLocalOrigin);
    }

    private static Uri Normalize(Uri uri) => new(uri.GetLeftPart(UriPartial.Authority));
}
