using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Portal.Core.Health;

namespace Portal.Infrastructure.Health;

/// <summary>What one TLS handshake showed: protocol, ALPN, the certificate and what is wrong with it.</summary>
public sealed record TlsObservation(
    IPAddress Address,
    SslProtocols Protocol,
    string? Alpn,
    CertificateFacts? Certificate,
    IReadOnlyList<string> CertificateProblems,
    string? Error)
{
    public bool Connected => Error is null;

    /// <summary>Why the outbound address policy kept the probe from connecting; null when it connected or tried.</summary>
    public string? Refusal { get; init; }
}

/// <summary>A finished handshake and, when it succeeded, the open connection (disposed with the session).</summary>
public sealed class TlsSession(TlsObservation observation, SslStream? stream) : IAsyncDisposable
{
    public TlsObservation Observation { get; } = observation;

    /// <summary>The authenticated connection; null when the handshake failed.</summary>
    public SslStream? Stream { get; } = stream;

    public ValueTask DisposeAsync() => Stream?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// Handshakes with a host the way a sender or browser does (the platform's TLS 1.2/1.3, ALPN h2 and http/1.1), and
/// separately offers only TLS 1.0/1.1 with a hand-made ClientHello, because the platform's own client refuses those
/// versions and would hide a server that still accepts them.
/// </summary>
public sealed class TlsProbe(CertificateVerifier verifier, TimeProvider clock, OutboundConnector connector)
{
    public async Task<TlsObservation> HandshakeAsync(IPAddress address, int port, string host, TimeSpan timeout, CancellationToken ct)
    {
        await using var session = await OpenAsync(address, port, host, timeout, ct);
        return session.Observation;
    }

    /// <summary>
    /// Handshakes as <see cref="HandshakeAsync"/> does and keeps the connection open, so a request can be sent over the
    /// very connection whose certificate was judged (<see cref="HttpFetcher.GetOverAsync"/>), as a sender does.
    /// </summary>
    /// <param name="applicationProtocols">ALPN offered; default h2 and http/1.1 (a browser's offer).</param>
    public async Task<TlsSession> OpenAsync(IPAddress address, int port, string host, TimeSpan timeout, CancellationToken ct,
        List<SslApplicationProtocol>? applicationProtocols = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        X509Certificate2? leaf = null;
        var intermediates = new List<X509Certificate2>();
        Socket? socket = null;
        SslStream? ssl = null;
        try
        {
            socket = await connector.ConnectAsync(address, port, host, cts.Token);
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, (_, certificate, chain, _) =>
            {
                // Accept here and judge afterwards: the report wants the certificate and every problem, not a refusal.
                leaf = certificate is null ? null : new X509Certificate2(certificate);
                if (chain is not null)
                {
                    intermediates.AddRange(chain.ChainElements.Skip(1).Select(e => new X509Certificate2(e.Certificate)));
                }

                return true;
            });
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ApplicationProtocols = applicationProtocols ?? [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, cts.Token);
            var alpn = ssl.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : ssl.NegotiatedApplicationProtocol.ToString();
            var facts = leaf is null ? null : CertificateVerifier.Describe(leaf);
            var problems = leaf is null ? ["The server presented no certificate."] : verifier.Problems(leaf, intermediates, host, clock.GetUtcNow());
            var session = new TlsSession(new TlsObservation(address, ssl.SslProtocol, alpn, facts, problems, null), ssl);
            ssl = null;
            socket = null;
            return session;
        }
        catch (OutboundRefusedException refused)
        {
            return new TlsSession(new TlsObservation(address, SslProtocols.None, null, null, [], refused.Message) { Refusal = refused.Message }, null);
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            // SslStream says only "Authentication failed, see inner exception"; the inner one names the TLS alert.
            var reason = ex is OperationCanceledException && !ct.IsCancellationRequested ? $"no TLS handshake within {timeout.TotalSeconds:0.#} s"
                : ex is AuthenticationException { InnerException: { } inner } ? $"{ex.Message.Replace(", see inner exception", "", StringComparison.Ordinal)}: {inner.Message}"
                : ex.Message;
            return new TlsSession(new TlsObservation(address, SslProtocols.None, null, leaf is null ? null : CertificateVerifier.Describe(leaf), [], $"TLS with {host} at {address}:{port} failed: {reason}"), null);
        }
        finally
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }

            socket?.Dispose();
            leaf?.Dispose();
            foreach (var c in intermediates)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>True when the server completes a ServerHello for TLS 1.0 or 1.1 (versions RFC 8996 forbids).</summary>
    public async Task<bool> OffersLegacyTlsAsync(IPAddress address, int port, string host, TimeSpan timeout, CancellationToken ct)
    {
        foreach (var version in new ushort[] { 0x0301, 0x0302 })
        {
            if (await ServerAcceptsAsync(address, port, host, version, timeout, ct))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<bool> ServerAcceptsAsync(IPAddress address, int port, string host, ushort version, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            using var socket = await connector.ConnectAsync(address, port, host, cts.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(LegacyClientHello.Build(host, version), cts.Token);
            var header = new byte[6];
            var read = 0;
            while (read < header.Length)
            {
                var n = await stream.ReadAsync(header.AsMemory(read), cts.Token);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            // A handshake record whose first message is a ServerHello, at the version offered or below it but still legacy.
            return header[0] == 0x16 && header[5] == 0x02;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>A minimal TLS 1.0/1.1 ClientHello (RFC 2246/4346) with SNI and the CBC suites such servers speak.</summary>
internal static class LegacyClientHello
{
    private static readonly ushort[] CipherSuites = [0xC013, 0xC014, 0xC009, 0xC00A, 0x002F, 0x0035, 0x000A];

    public static byte[] Build(string host, ushort version)
    {
        var hostBytes = System.Text.Encoding.ASCII.GetBytes(host);
        var extensions = new List<byte>();
        // server_name
        AddUInt16(extensions, 0x0000);
        AddUInt16(extensions, (ushort)(hostBytes.Length + 5));
        AddUInt16(extensions, (ushort)(hostBytes.Length + 3));
        extensions.Add(0);
        AddUInt16(extensions, (ushort)hostBytes.Length);
        extensions.AddRange(hostBytes);
        // supported_groups: x25519, secp256r1, secp384r1
        extensions.AddRange([0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18]);
        // ec_point_formats: uncompressed
        extensions.AddRange([0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]);

        var body = new List<byte>();
        AddUInt16(body, version);
        body.AddRange(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        body.Add(0);
        AddUInt16(body, (ushort)(CipherSuites.Length * 2));
        foreach (var suite in CipherSuites)
        {
            AddUInt16(body, suite);
        }

        body.AddRange([0x01, 0x00]);
        AddUInt16(body, (ushort)extensions.Count);
        body.AddRange(extensions);

        var handshake = new List<byte> { 0x01, 0, (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        var record = new List<byte> { 0x16, 0x03, 0x01 };
        AddUInt16(record, (ushort)handshake.Count);
        record.AddRange(handshake);
        return [.. record];
    }

    private static void AddUInt16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }
}
