using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Core.Health;

/// <summary>One HTTP exchange as the checks see it: never a followed redirect, the body cut at a limit.</summary>
public sealed record HttpObservation(
    HttpStatusCode? Status,
    Version? HttpVersion,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? ContentType,
    string? Location,
    byte[] Body,
    bool BodyTruncated,
    string? Error)
{
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// Fetches URLs for the checks. Names resolve through <see cref="DnsQueries"/> (the same resolvers as the DNS checks),
/// redirects are reported and never followed (RFC 8461 section 3.3), and certificates are judged by the TLS probe, so a
/// bad certificate does not hide what the server would have answered.
/// </summary>
public sealed class HttpFetcher : IDisposable
{
    private readonly HttpClient _client;

    public HttpFetcher(DnsQueries dns, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = options.Timeout,
            ConnectCallback = async (context, ct) =>
            {
                var addresses = await dns.AddressesAsync(context.DnsEndPoint.Host, ct);
                if (addresses.Count == 0)
                {
                    throw new HttpRequestException($"{context.DnsEndPoint.Host} has no A or AAAA record.");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync([.. addresses], context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // Only observes: the TLS probe judges the same host's certificate and reports any problem as an error finding.
#pragma warning disable CA5359
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        _client = new HttpClient(handler) { Timeout = options.Timeout };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("static-site-portal-health/1.0");
    }

    public async Task<HttpObservation> GetAsync(Uri url, int maxBytes, CancellationToken ct, string? acceptEncoding = null, Version? version = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url)
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var headers = response.Headers.Concat(response.Content.Headers)
                .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
                .ToList();
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            var truncated = false;
            int n;
            while ((n = await stream.ReadAsync(chunk, ct)) > 0)
            {
                var room = maxBytes - (int)buffer.Length;
                if (n > room)
                {
                    buffer.Write(chunk, 0, Math.Max(room, 0));
                    truncated = true;
                    break;
                }

                buffer.Write(chunk, 0, n);
            }

            return new HttpObservation(response.StatusCode, response.Version, headers, response.Content.Headers.ContentType?.ToString(),
                response.Headers.Location?.ToString(), buffer.ToArray(), truncated, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            var reason = ex is TaskCanceledException && !ct.IsCancellationRequested ? $"no answer within {_client.Timeout.TotalSeconds:0} s" : ex.Message;
            return new HttpObservation(null, null, [], null, null, [], false, $"GET {url} failed: {reason}");
        }
    }

    public void Dispose() => _client.Dispose();
}
