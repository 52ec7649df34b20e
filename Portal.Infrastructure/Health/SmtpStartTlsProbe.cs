using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portal.Core.Health;

namespace Portal.Infrastructure.Health;

/// <summary>What one SMTP STARTTLS session with an MX host showed.</summary>
public sealed record SmtpTlsObservation(
    bool Connected,
    bool StartTlsOffered,
    SslProtocols? Protocol,
    CertificateFacts? Certificate,
    IReadOnlyList<string> CertificateProblems,
    string? Problem,
    string Transcript);

/// <summary>
/// A minimal SMTP client for the MX transport check (RFC 5321, RFC 3207): reads the 220 greeting, sends EHLO, looks
/// for STARTTLS among the extensions, sends STARTTLS, and handshakes TLS for the MX name, judging the certificate as
/// the other checks do. Every step has the time-out; nothing is ever sent beyond EHLO, STARTTLS and QUIT.
/// </summary>
public sealed class SmtpStartTlsProbe(CertificateVerifier verifier, TimeProvider clock, OutboundConnector connector)
{
    private const int MaxLineBytes = 2048;
    private const int MaxReplyLines = 100;

    public async Task<SmtpTlsObservation> ProbeAsync(IReadOnlyList<IPAddress> addresses, int port, string host, string heloName, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var transcript = new StringBuilder();
        Socket socket;
        using (var connect = Step(timeout, ct))
        {
            try
            {
                socket = await connector.ConnectAsync(addresses, port, host, connect.Token);
            }
            catch (OutboundRefusedException ex)
            {
                return new(false, false, null, null, [], ex.Message, "");
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                var why = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : ex.Message;
                return new(false, false, null, null, [], $"Connecting to {host} port {port} failed: {why}.", "");
            }
        }

        await using var network = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var greeting = await ReadReplyAsync(network, transcript, timeout, ct);
            if (greeting.Code != 220)
            {
                return new(true, false, null, null, [], $"The server greeted with {greeting.Code} instead of 220.", transcript.ToString());
            }

            await SendAsync(network, $"EHLO {heloName}", transcript, timeout, ct);
            var ehlo = await ReadReplyAsync(network, transcript, timeout, ct);
            if (ehlo.Code != 250)
            {
                return new(true, false, null, null, [], $"EHLO was answered with {ehlo.Code}.", transcript.ToString());
            }

            // The first line is the greeting; extension keywords follow, one a line (RFC 5321 section 4.1.1.1).
            var offered = ehlo.Lines.Skip(1).Any(l => l.Split(' ')[0].Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));
            if (!offered)
            {
                await QuitAsync(network, transcript, timeout, ct);
                return new(true, false, null, null, [], "STARTTLS is not among the EHLO extensions.", transcript.ToString());
            }

            await SendAsync(network, "STARTTLS", transcript, timeout, ct);
            var ready = await ReadReplyAsync(network, transcript, timeout, ct);
            if (ready.Code != 220)
            {
                return new(true, false, null, null, [], $"STARTTLS was answered with {ready.Code}.", transcript.ToString());
            }

            return await HandshakeAsync(network, host, transcript, timeout, ct);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SmtpProtocolException && !ct.IsCancellationRequested)
        {
            var why = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : ex.Message;
            return new(true, false, null, null, [], $"The SMTP session failed: {why}.", transcript.ToString());
        }
    }

    private async Task<SmtpTlsObservation> HandshakeAsync(NetworkStream network, string host, StringBuilder transcript, TimeSpan timeout, CancellationToken ct)
    {
        X509Certificate2? leaf = null;
        var intermediates = new List<X509Certificate2>();
        await using var ssl = new SslStream(network, leaveInnerStreamOpen: true, (_, certificate, chain, _) =>
        {
            // Accept here and judge afterwards: the report wants the certificate and every problem, not a refusal.
            leaf = certificate is null ? null : new X509Certificate2(certificate);
            if (chain is not null)
            {
                intermediates.AddRange(chain.ChainElements.Skip(1).Select(e => new X509Certificate2(e.Certificate)));
            }

            return true;
        });
        try
        {
            using var step = Step(timeout, ct);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, step.Token);
            transcript.Append("-- TLS ").Append(ssl.SslProtocol).Append('\n');
            var facts = leaf is null ? null : CertificateVerifier.Describe(leaf);
            var problems = leaf is null ? ["The server presented no certificate."] : verifier.Problems(leaf, intermediates, host, clock.GetUtcNow());
            try
            {
                using var quit = Step(timeout, ct);
                await ssl.WriteAsync(Encoding.ASCII.GetBytes("QUIT\r\n"), quit.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                // Leaving politely is a courtesy; the result stands either way.
            }

            return new(true, true, ssl.SslProtocol, facts, problems, null, transcript.ToString());
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            var why = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0} s" : ex.Message;
            return new(true, true, null, null, [], $"The TLS handshake after STARTTLS failed: {why}", transcript.ToString());
        }
        finally
        {
            leaf?.Dispose();
            foreach (var c in intermediates)
            {
                c.Dispose();
            }
        }
    }

    private static CancellationTokenSource Step(TimeSpan timeout, CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        return cts;
    }

    private static async Task QuitAsync(NetworkStream network, StringBuilder transcript, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await SendAsync(network, "QUIT", transcript, timeout, ct);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // A courtesy only.
        }
    }

    private static async Task SendAsync(NetworkStream network, string command, StringBuilder transcript, TimeSpan timeout, CancellationToken ct)
    {
        transcript.Append(">> ").Append(command).Append('\n');
        using var step = Step(timeout, ct);
        await network.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), step.Token);
    }

    /// <summary>
    /// Reads one reply, single- or multi-line ("250-..." lines up to "250 ..."), byte by byte so nothing after it is
    /// consumed: after "220 ready to start TLS" the next bytes belong to the TLS handshake.
    /// </summary>
    private static async Task<SmtpReply> ReadReplyAsync(NetworkStream network, StringBuilder transcript, TimeSpan timeout, CancellationToken ct)
    {
        using var step = Step(timeout, ct);
        var lines = new List<string>();
        var one = new byte[1];
        var line = new List<byte>();
        while (lines.Count < MaxReplyLines)
        {
            var n = await network.ReadAsync(one, step.Token);
            if (n == 0)
            {
                throw new SmtpProtocolException("the server closed the connection");
            }

            if (one[0] != '\n')
            {
                if (line.Count >= MaxLineBytes)
                {
                    throw new SmtpProtocolException($"a reply line is longer than {MaxLineBytes} bytes");
                }

                line.Add(one[0]);
                continue;
            }

            var text = Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
            line.Clear();
            transcript.Append("<< ").Append(text).Append('\n');
            if (text.Length < 3 || !int.TryParse(text.AsSpan(0, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                throw new SmtpProtocolException($"'{text}' is not an SMTP reply");
            }

            lines.Add(text.Length > 4 ? text[4..] : "");
            if (text.Length == 3 || text[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }
        }

        throw new SmtpProtocolException($"a reply has more than {MaxReplyLines} lines");
    }

    private sealed record SmtpReply(int Code, IReadOnlyList<string> Lines);
}

/// <summary>The server's answer did not follow SMTP.</summary>
public sealed class SmtpProtocolException : IOException
{
    public SmtpProtocolException()
    {
    }

    public SmtpProtocolException(string message)
        : base(message)
    {
    }

    public SmtpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
