using System.Security.Authentication;
using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Core.MtaSts;

namespace Portal.Infrastructure.Health;

/// <summary>
/// Checks each MX host of a mail domain as a sending server reaches it: its addresses, an SMTP session on the
/// configured port with EHLO and STARTTLS, the TLS version and the certificate for the MX name, whether the name
/// matches the policy's mx patterns, and whether DANE TLSA records are published. Hosts are checked side by side.
/// </summary>
public sealed class MxTransportChecker(DnsQueries dns, SmtpStartTlsProbe smtp, IOptions<HealthOptions> options)
{
    /// <summary>At most this many MX hosts are checked; more would only lengthen a check without telling more.</summary>
    public const int MaxHosts = 10;

    public async Task<IReadOnlyList<MxTransportResult>> CheckAsync(IReadOnlyList<string> mxHosts, MtaStsPolicy? policy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mxHosts);
        var hosts = mxHosts.Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxHosts).ToList();
        return await Task.WhenAll(hosts.Select(h => CheckHostAsync(h, policy, ct)));
    }

    private async Task<MxTransportResult> CheckHostAsync(string host, MtaStsPolicy? policy, CancellationToken ct)
    {
        var settings = options.Value;
        var tlsa = dns.TlsaAsync($"_{settings.SmtpPort}._tcp.{host}", ct);
        var addresses = await dns.AddressesAsync(host, ct);
        var matches = MxTransportGrading.MatchesPolicy(policy, host);
        var tlsaAnswer = await tlsa;
        bool? dane = tlsaAnswer.Outcome switch
        {
            DnsOutcome.Found => true,
            DnsOutcome.Failed => null,
            _ => false,
        };
        if (addresses.Count == 0)
        {
            return new MxTransportResult(host, false, null, null, null, null, matches) { DaneTlsa = dane, Problem = $"{host} has no A or AAAA record." };
        }

        var helo = string.IsNullOrWhiteSpace(settings.SmtpHeloName) ? Environment.MachineName.ToLowerInvariant() : settings.SmtpHeloName;
        var seen = await smtp.ProbeAsync(addresses, settings.SmtpPort, host, helo, settings.Timeout, ct);
        var problem = seen.Problem is null ? null : seen.Transcript.Length == 0 ? seen.Problem : seen.Problem + "\n" + seen.Transcript.TrimEnd();
        return new MxTransportResult(
            host,
            seen.Connected,
            seen.Connected ? seen.StartTlsOffered : null,
            seen.Protocol is { } p ? VersionText(p) : null,
            seen.Protocol is null ? null : seen.CertificateProblems.Count == 0,
            seen.Certificate?.NotAfter,
            matches)
        {
            DaneTlsa = dane,
            Problem = problem,
            CertificateProblems = seen.CertificateProblems,
        };
    }

    /// <summary>The version as people write it: "TLSv1.3" (the platform client offers only TLS 1.2 and 1.3).</summary>
    public static string VersionText(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls13 => "TLSv1.3",
        _ => protocol.ToString(),
    };
}
