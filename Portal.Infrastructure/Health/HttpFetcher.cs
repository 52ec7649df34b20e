using Microsoft.Extensions.Options;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portal.Core.Health;

namespace Portal.Infrastructure.Health;

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

    /// <summary>Why the outbound address policy kept the request from being sent; null when it was sent.</summary>
    public string? Refusal { get; init; }
}

/// <summary>
/// Fetches URLs for the checks. Names resolve through <see cref="DnsQueries"/> (the same resolvers as the DNS checks),
/// redirects are reported and never followed (RFC 8461 section 3.3), and certificates are judged by the TLS probe, so a
/// bad certificate does not hide what the server would have answered.
/// </summary>
public sealed class HttpFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;

    public HttpFetcher(DnsQueries dns, OutboundConnector connector, IOptions<HealthOptions> settings)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(settings);
        var options = settings.Value;
        _timeout = options.Timeout;
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
                // Resolved here and judged by the connector on exactly these addresses: what the checker saw a moment
                // ago may have changed (DNS rebinding), what the socket connects to may not.
                var addresses = await dns.AddressesAsync(context.DnsEndPoint.Host, ct);
                if (addresses.Count == 0)
                {
                    throw new HttpRequestException($"{context.DnsEndPoint.Host} has no A or AAAA record.");
                }

                var socket = await connector.ConnectAsync(addresses, context.DnsEndPoint.Port, context.DnsEndPoint.Host, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        // Only observes: the TLS probe judges the same host's certificate and reports any problem as an error finding.
#pragma warning disable CA5359
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
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

        // HttpClient.Timeout stops at the response headers; this limit also covers a body that trickles in.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var headers = response.Headers.Concat(response.Content.Headers)
                .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
                .ToList();
            await using var stream = await response.Content.ReadAsStreamAsync(limit.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            var truncated = false;
            int n;
            while ((n = await stream.ReadAsync(chunk, limit.Token)) > 0)
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
        catch (Exception ex) when (OutboundRefusedException.Find(ex) is { } refused)
        {
            return new HttpObservation(null, null, [], null, null, [], false, $"GET {url} was not sent: {refused.Message}") { Refusal = refused.Message };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new HttpObservation(null, null, [], null, null, [], false, $"GET {url} failed: the response was not complete within {_timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            var reason = ex.Message;
            return new HttpObservation(null, null, [], null, null, [], false, $"GET {url} failed: {reason}");
        }
    }

    /// <summary>
    /// GET over a connection the caller opened (an authenticated TLS stream whose certificate it judged), with HTTP/1.1
    /// and <c>Connection: close</c>; the body is cut at <paramref name="maxBytes"/> and the whole exchange at the timeout.
    /// </summary>
    public async Task<HttpObservation> GetOverAsync(Stream connection, Uri url, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(url);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_timeout);
        try
        {
            return await Http11Exchange.GetAsync(connection, url, maxBytes, limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new HttpObservation(null, null, [], null, null, [], false, $"GET {url} failed: the response was not complete within {_timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return new HttpObservation(null, null, [], null, null, [], false, $"GET {url} failed: {ex.Message}");
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>One HTTP/1.1 request and response (RFC 9112) on an open stream: status line, fields, and a body by length, chunks or close.</summary>
internal static class Http11Exchange
{
    private const int MaxHeaderBytes = 64 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    public static async Task<HttpObservation> GetAsync(Stream stream, Uri url, int maxBytes, CancellationToken ct)
    {
        var request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUser-Agent: static-site-portal-health/1.0\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
        await stream.FlushAsync(ct);

        var reader = new Reader(stream);
        var head = await reader.ReadHeadAsync(ct);
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || status[1].Length != 3 || !int.TryParse(status[1], out var code))
        {
            throw new InvalidDataException($"the server did not answer with an HTTP/1.1 status line ('{Shorten(lines[0])}').");
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"the response has a malformed header line ('{Shorten(line)}').");
            }

            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim(' ', '\t')));
        }

        string? Field(string name) => headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
        var body = new MemoryStream();
        bool truncated;
        if (Field("Transfer-Encoding") is { } coding && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            truncated = await reader.ReadChunkedAsync(body, maxBytes, ct);
        }
        else if (Field("Content-Length") is { } lengthText)
        {
            if (!long.TryParse(lengthText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
            {
                throw new InvalidDataException($"the response's Content-Length '{Shorten(lengthText)}' is not a number.");
            }

            truncated = length > maxBytes;
            await reader.ReadExactlyAsync(body, (int)Math.Min(length, maxBytes), ct);
        }
        else
        {
            truncated = await reader.ReadToEndAsync(body, maxBytes, ct);
        }

        var version = status[0] == "HTTP/1.0" ? HttpVersion.Version10 : HttpVersion.Version11;
        return new HttpObservation((HttpStatusCode)code, version, headers, Field("Content-Type"), Field("Location"), body.ToArray(), truncated, null);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;

    /// <summary>Buffered reads with the bytes already received kept for the next step.</summary>
    private sealed class Reader(Stream stream)
    {
        private readonly byte[] buffer = new byte[16 * 1024];
        private int start;
        private int end;

        public async Task<byte[]> ReadHeadAsync(CancellationToken ct)
        {
            var head = new MemoryStream();
            while (true)
            {
                if (start == end && !await FillAsync(ct))
                {
                    throw new InvalidDataException("the server closed the connection before the response headers were complete.");
                }

                // Copy byte by byte up to the blank line; the rest stays buffered for the body.
                while (start < end)
                {
                    head.WriteByte(buffer[start++]);
                    if (head.Length >= 4 && EndsWithBlankLine(head))
                    {
                        var bytes = head.ToArray();
                        return bytes[..^4];
                    }

                    if (head.Length > MaxHeaderBytes)
                    {
                        throw new InvalidDataException($"the response headers are larger than {MaxHeaderBytes / 1024} KiB.");
                    }
                }
            }
        }

        public async Task ReadExactlyAsync(MemoryStream body, int count, CancellationToken ct)
        {
            while (body.Length < count)
            {
                if (start == end && !await FillAsync(ct))
                {
                    throw new InvalidDataException($"the server closed the connection after {body.Length} of {count} body bytes.");
                }

                var n = Math.Min(end - start, count - (int)body.Length);
                body.Write(buffer, start, n);
                start += n;
            }
        }

        /// <summary>Reads until the server closes; true when the body went past <paramref name="maxBytes"/>.</summary>
        public async Task<bool> ReadToEndAsync(MemoryStream body, int maxBytes, CancellationToken ct)
        {
            while (start < end || await FillAsync(ct))
            {
                var n = Math.Min(end - start, maxBytes - (int)body.Length);
                body.Write(buffer, start, n);
                start += n;
                if (body.Length >= maxBytes && (start < end || await FillAsync(ct)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Decodes <c>chunked</c> transfer coding; true when the body went past <paramref name="maxBytes"/>.</summary>
        public async Task<bool> ReadChunkedAsync(MemoryStream body, int maxBytes, CancellationToken ct)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(ct);
                var sizeText = sizeLine.Split(';')[0].Trim();
                if (!int.TryParse(sizeText, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var size) || size < 0)
                {
                    throw new InvalidDataException($"the response has a malformed chunk size ('{Shorten(sizeLine)}').");
                }

                if (size == 0)
                {
                    while ((await ReadLineAsync(ct)).Length > 0)
                    {
                        // Trailer fields are not used.
                    }

                    return false;
                }

                if (body.Length + size > maxBytes)
                {
                    await ReadExactlyAsync(body, maxBytes, ct);
                    return true;
                }

                await ReadExactlyAsync(body, (int)body.Length + size, ct);
                if ((await ReadLineAsync(ct)).Length != 0)
                {
                    throw new InvalidDataException("a chunk of the response is longer than its size says.");
                }
            }
        }

        private async Task<string> ReadLineAsync(CancellationToken ct)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (start == end && !await FillAsync(ct))
                {
                    throw new InvalidDataException("the server closed the connection in the middle of a chunked body.");
                }

                var b = buffer[start++];
                if (b == (byte)'\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                if (line.Length > 1024)
                {
                    throw new InvalidDataException("a chunk header of the response is longer than 1 KiB.");
                }

                line.Append((char)b);
            }
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            start = 0;
            end = await stream.ReadAsync(buffer, ct);
            return end > 0;
        }

        private static bool EndsWithBlankLine(MemoryStream head)
        {
            var bytes = head.GetBuffer();
            var n = (int)head.Length;
            return bytes.AsSpan(n - 4, 4).SequenceEqual(HeaderEnd);
        }
    }
}
