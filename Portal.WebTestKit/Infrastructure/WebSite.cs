using System.Net;
using System.Text;

namespace Portal.Tests.Infrastructure;

/// <summary>TLS protocol versions a fixture server offers.</summary>
[Flags]
public enum TlsVersions
{
    None = 0,
    Tls10 = 1,
    Tls11 = 2,
    Tls12 = 4,
    Tls13 = 8,

    /// <summary>What a well-configured server offers today.</summary>
    Modern = Tls12 | Tls13,
}

/// <summary>Which listeners a fixture site has.</summary>
[Flags]
public enum WebSchemes
{
    /// <summary>Port 443 with TLS.</summary>
    Https = 1,

    /// <summary>Port 80 without TLS, serving the same routes.</summary>
    Http = 2,
}

/// <summary>What a route answers: a file (200), a fixed text with a status, or a redirect.</summary>
public sealed record WebRoute(
    string Path,
    int Status,
    byte[]? Body,
    string? ContentType,
    string? Location,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    int? BytesPerSecond);

/// <summary>What every unrouted path answers instead of nginx's 404: a status and a body, as CloudFront's custom error responses do.</summary>
public sealed record WebFallback(int Status, string Body, string ContentType);

/// <summary>A redirect of every unrouted path to an origin, the request URI appended.</summary>
public sealed record WebRedirect(int Status, string TargetOrigin);

/// <summary>
/// One virtual host served by the fixture nginx: a host name (plus aliases) on one address, a certificate, TLS
/// versions, HTTP/2, and routes matched by exact path. Paths without a route answer 404.
/// </summary>
/// <remarks>
/// Sites may share an address (told apart by SNI and Host); they must then agree on TLS versions and HTTP/2,
/// which nginx fixes per listening socket. A certificate is issued by the network's CA for the host name and
/// aliases unless one is given.
/// </remarks>
public sealed class WebSite
{
    private readonly List<string> aliases = [];
    private readonly List<WebRoute> routes = [];
    private readonly List<KeyValuePair<string, string>> headers = [];

    public WebSite(string hostName, IPAddress address)
    {
        HostName = CheckHostName(hostName, nameof(hostName));
        Address = address ?? throw new ArgumentNullException(nameof(address));
    }

    public string HostName { get; }

    public IPAddress Address { get; }

    public IReadOnlyList<string> Aliases => aliases;

    public IReadOnlyList<WebRoute> Routes => routes;

    /// <summary>Headers added to every response of the site, whatever the status.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => headers;

    public IssuedCertificate? Certificate { get; private set; }

    public TlsVersions Protocols { get; private set; } = TlsVersions.Modern;

    public bool Http2 { get; private set; }

    public WebSchemes Schemes { get; private set; } = WebSchemes.Https;

    /// <summary>Status of the port 80 redirect to <c>https://$host$request_uri</c>; null when there is none.</summary>
    public int? HttpToHttpsRedirectStatus { get; private set; }

    public bool Compression { get; private set; }

    /// <summary>What paths without a route answer (status and body); null answers them 404 (or redirects them, see <see cref="RedirectAllTo"/>).</summary>
    public WebFallback? Fallback { get; private set; }

    /// <summary>Answers every path without its own route with <paramref name="status"/> and <paramref name="body"/>, as a site's 404 page or single-page mode does.</summary>
    public WebSite AnswerUnrouted(int status, string body, string contentType = "text/html")
    {
        ArgumentNullException.ThrowIfNull(body);
        if (status is < 200 or > 599 or (>= 300 and < 400))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Use 2xx, 4xx or 5xx here; RedirectAll makes 3xx answers.");
        }

        Fallback = new WebFallback(status, body, CheckContentType(contentType)!);
        return this;
    }

    /// <summary>Where paths without a route are redirected; null answers them 404.</summary>
    public WebRedirect? RedirectAllTo { get; private set; }

    public WebSite Alias(string name)
    {
        aliases.Add(CheckHostName(name, nameof(name)));
        return this;
    }

    /// <summary>Serves <paramref name="body"/> (UTF-8) at <paramref name="path"/> with status 200.</summary>
    /// <param name="contentType">The exact Content-Type header; null sends none.</param>
    /// <param name="bytesPerSecond">Throttles the body, for client timeout tests.</param>
    public WebSite File(string path, string body, string? contentType = "text/plain",
        IEnumerable<KeyValuePair<string, string>>? routeHeaders = null, int? bytesPerSecond = null) =>
        File(path, Encoding.UTF8.GetBytes(body ?? throw new ArgumentNullException(nameof(body))), contentType, routeHeaders, bytesPerSecond);

    public WebSite File(string path, byte[] body, string? contentType,
        IEnumerable<KeyValuePair<string, string>>? routeHeaders = null, int? bytesPerSecond = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (bytesPerSecond is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytesPerSecond), bytesPerSecond, "bytesPerSecond must be positive.");
        }

        return AddRoute(new WebRoute(CheckPath(path), 200, body, CheckContentType(contentType), null, CheckHeaders(routeHeaders), bytesPerSecond));
    }

    /// <summary>Answers <paramref name="path"/> with a status and a short text body.</summary>
    public WebSite Respond(string path, int status, string body = "", string? contentType = "text/plain",
        IEnumerable<KeyValuePair<string, string>>? routeHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (status is < 200 or > 599 or (>= 300 and < 400))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Use 2xx, 4xx or 5xx here; Redirect makes 3xx answers.");
        }

        return AddRoute(new WebRoute(CheckPath(path), status, Encoding.UTF8.GetBytes(body), CheckContentType(contentType), null, CheckHeaders(routeHeaders), null));
    }

    /// <summary>Redirects <paramref name="path"/> to <paramref name="location"/> (absolute or relative).</summary>
    public WebSite Redirect(string path, int status, string location)
    {
        CheckRedirectStatus(status);
        return AddRoute(new WebRoute(CheckPath(path), status, null, null, CheckValue(location, nameof(location)), [], null));
    }

    /// <summary>Redirects every path without its own route to <paramref name="targetOrigin"/> followed by the request URI.</summary>
    public WebSite RedirectAll(int status, string targetOrigin)
    {
        CheckRedirectStatus(status);
        RedirectAllTo = new WebRedirect(status, CheckValue(targetOrigin, nameof(targetOrigin)).TrimEnd('/'));
        return this;
    }

    public WebSite Header(string name, string value)
    {
        headers.AddRange(CheckHeaders([new(name, value)]));
        return this;
    }

    public WebSite WithCertificate(IssuedCertificate certificate)
    {
        Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
        return this;
    }

    /// <summary>TLS versions offered; any below 1.2 also lowers the OpenSSL security level so they really work.</summary>
    public WebSite WithProtocols(TlsVersions protocols)
    {
        if (protocols == TlsVersions.None)
        {
            throw new ArgumentException("Offer at least one TLS version.", nameof(protocols));
        }

        Protocols = protocols;
        return this;
    }

    /// <summary>Offers HTTP/2 through ALPN on the HTTPS listener.</summary>
    public WebSite WithHttp2(bool enabled = true)
    {
        Http2 = enabled;
        return this;
    }

    /// <summary>Listeners of the site: HTTPS (default), plain HTTP on port 80 with the same routes, or both.</summary>
    public WebSite ServeOver(WebSchemes schemes)
    {
        if (schemes == 0)
        {
            throw new ArgumentException("Serve over at least one scheme.", nameof(schemes));
        }

        Schemes = schemes;
        return this;
    }

    /// <summary>Adds a port 80 listener answering every request with a redirect to the same URL over HTTPS.</summary>
    public WebSite RedirectHttpToHttps(int status = 301)
    {
        CheckRedirectStatus(status);
        HttpToHttpsRedirectStatus = status;
        return this;
    }

    /// <summary>Compresses responses with gzip when the client accepts it.</summary>
    public WebSite WithCompression(bool enabled = true)
    {
        Compression = enabled;
        return this;
    }

    public IEnumerable<string> AllNames => new[] { HostName }.Concat(aliases);

    private WebSite AddRoute(WebRoute route)
    {
        if (routes.Any(r => r.Path == route.Path))
        {
            throw new ArgumentException($"Site {HostName} already has a route for '{route.Path}'.", nameof(route));
        }

        routes.Add(route);
        return this;
    }

    private static void CheckRedirectStatus(int status)
    {
        if (status is not (301 or 302 or 303 or 307 or 308))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A redirect status is 301, 302, 303, 307 or 308.");
        }
    }

    private static string CheckPath(string path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Any(c => c <= 0x20 || c >= 0x7F))
        {
            throw new ArgumentException($"Route path '{path}' must start with '/' and hold only visible ASCII.", nameof(path));
        }

        return path;
    }

    private static string? CheckContentType(string? contentType) =>
        contentType is null ? null : CheckValue(contentType, nameof(contentType));

    private static List<KeyValuePair<string, string>> CheckHeaders(IEnumerable<KeyValuePair<string, string>>? values)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in values ?? [])
        {
            if (string.IsNullOrEmpty(name) || !name.All(c => c > 0x20 && c < 0x7F && c is not (':' or '"' or '(' or ')' or ',' or '/' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}')))
            {
                throw new ArgumentException($"Header name '{name}' is not an HTTP token.", nameof(values));
            }

            list.Add(new(name, CheckValue(value, $"header {name}")));
        }

        return list;
    }

    private static string CheckValue(string value, string what)
    {
        if (value is null || value.Any(c => c < 0x20 || c == 0x7F))
        {
            throw new ArgumentException($"The value of {what} is missing or has a control character (CR, LF...).", what);
        }

        return value;
    }

    private static string CheckHostName(string name, string parameter)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 253
            || !name.TrimEnd('.').Split('.').All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException($"'{name}' is not a valid host name.", parameter);
        }

        return name.TrimEnd('.').ToLowerInvariant();
    }
}
