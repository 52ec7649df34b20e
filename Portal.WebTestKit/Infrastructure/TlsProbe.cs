using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Infrastructure;

/// <summary>What one TLS handshake with a fixture server showed.</summary>
/// <param name="Errors">What .NET found wrong with the certificate (name, chain against the system store); the handshake goes on regardless so the certificate is captured.</param>
/// <param name="ChainStatus">The chain checked against the test CA alone (NoError when valid); null when no certificate was seen.</param>
/// <param name="Failure">Why the handshake failed (for example no common protocol), or null.</param>
public sealed record TlsProbeResult(
    bool Succeeded,
    SslProtocols Protocol,
    string ApplicationProtocol,
    SslPolicyErrors Errors,
    X509ChainStatusFlags? ChainStatus,
    X509Certificate2? Certificate,
    string? Failure);

/// <summary>
/// A bare TLS client for the private network: one handshake, everything it saw recorded, nothing validated away.
/// It connects through <see cref="PrivateNetwork.ResolveAsync"/>, so only fixture addresses are ever reached.
/// </summary>
public static class TlsProbe
{
    public static async Task<TlsProbeResult> HandshakeAsync(
        this PrivateNetwork network,
        string host,
        int port = 443,
        SslProtocols protocols = SslProtocols.None,
        IReadOnlyList<SslApplicationProtocol>? applicationProtocols = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        var address = (await network.ResolveAsync(host, cancellationToken))[0];
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
        await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: false));

        var errors = SslPolicyErrors.None;
        X509Certificate2? seen = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = protocols,
            ApplicationProtocols = applicationProtocols?.ToList(),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
#pragma warning disable CA5359 // The probe records what validation found instead of deciding; callers assert on Errors and ChainStatus.
            RemoteCertificateValidationCallback = (_, certificate, _, policyErrors) =>
            {
                errors = policyErrors;
                seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return true;
            },
#pragma warning restore CA5359
        };

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            await stream.AuthenticateAsClientAsync(options, deadline.Token);
        }
        catch (Exception error) when (error is AuthenticationException or IOException)
        {
            return new TlsProbeResult(false, SslProtocols.None, "", errors, ChainOf(network, seen), seen, error.GetBaseException().Message);
        }

        return new TlsProbeResult(
            true,
            stream.SslProtocol,
            stream.NegotiatedApplicationProtocol.ToString(),
            errors,
            ChainOf(network, seen),
            seen,
            null);
    }

    private static X509ChainStatusFlags? ChainOf(PrivateNetwork network, X509Certificate2? certificate) =>
        certificate is null ? null : network.CertificateAuthority.CheckChain(certificate);
}
