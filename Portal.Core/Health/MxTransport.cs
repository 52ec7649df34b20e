using System.Globalization;
using Portal.Core.MtaSts;
using Portal.Core.Requests;

namespace Portal.Core.Health;

/// <summary>
/// What the transport check saw at one MX host of a mail domain, as a sending server would: whether port 25 (or the
/// configured port) answered from here, whether STARTTLS was offered and worked, the TLS version, whether the
/// certificate is valid for the MX name, when it expires, whether the name matches the published policy's mx
/// patterns, and whether DANE TLSA records are published. Null means "not known": not reached, or no policy.
/// </summary>
public sealed record MxTransportResult(
    string Host,
    bool Reachable,
    bool? StartTls,
    string? TlsVersion,
    bool? CertificateValidForName,
    DateTimeOffset? CertificateExpires,
    bool? MatchesPolicy)
{
    /// <summary>Whether <c>_25._tcp.&lt;host&gt;</c> has TLSA records (DANE, RFC 7672); null when the question failed.</summary>
    public bool? DaneTlsa { get; init; }

    /// <summary>What kept the check from finishing (no address, connection refused, a failed handshake); null when it finished.</summary>
    public string? Problem { get; init; }

    /// <summary>What is wrong with the certificate for this name; empty when it is valid or none was seen.</summary>
    public IReadOnlyList<string> CertificateProblems { get; init; } = [];

    /// <summary>True when everything a sender needs held: STARTTLS, a valid certificate for the name, a name the policy allows.</summary>
    public bool Passes => Reachable && StartTls == true && TlsVersion is not null && CertificateValidForName == true && MatchesPolicy != false;
}

/// <summary>
/// Grades the transport results of a mail domain's MX hosts into findings. A host not reachable from here is
/// information, not a failure (cloud hosts often block outbound port 25). A host that senders cannot reach with
/// valid TLS is an error under an enforce policy (mail to it stops) and a warning otherwise (senders still deliver).
/// </summary>
public static class MxTransportGrading
{
    private const string Rfc8461 = "RFC 8461";

    public static IReadOnlyList<Finding> Grade(IReadOnlyList<MxTransportResult> hosts, MtaStsMode? mode, int port, DateTimeOffset now, int certificateWarningDays)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var findings = new List<Finding>();
        var failure = mode == MtaStsMode.Enforce ? FindingSeverity.Error : FindingSeverity.Warning;
        var consequence = mode == MtaStsMode.Enforce
            ? "senders applying the enforce policy will not deliver to it"
            : "senders applying MTA-STS in enforce mode would not deliver to it";
        foreach (var mx in hosts)
        {
            var where = port == 25 ? mx.Host : $"{mx.Host} (port {port.ToString(CultureInfo.InvariantCulture)})";
            if (!mx.Reachable)
            {
                findings.Add(new("mx.not-checked", FindingSeverity.Info,
                    $"{where} could not be reached from here, so its transport was not checked (outbound port {port.ToString(CultureInfo.InvariantCulture)} is often blocked on cloud hosts).",
                    mx.Problem, $"{Rfc8461} section 4.2"));
            }
            else if (mx.StartTls != true)
            {
                findings.Add(new("mx.starttls-missing", failure, $"{where} does not offer STARTTLS: {consequence}.", mx.Problem, $"{Rfc8461} section 4.2"));
            }
            else if (mx.TlsVersion is null)
            {
                findings.Add(new("mx.tls-failed", failure, $"{where} offers STARTTLS but the TLS handshake failed: {consequence}.", mx.Problem, $"{Rfc8461} section 4.2"));
            }
            else if (mx.CertificateValidForName != true)
            {
                findings.Add(new("mx.certificate-invalid", failure, $"{where} presents a certificate that is not valid for its name: {consequence}.",
                    string.Join("\n", mx.CertificateProblems), $"{Rfc8461} section 4.2"));
            }
            else
            {
                var expiring = mx.CertificateExpires is { } expires && expires - now < TimeSpan.FromDays(certificateWarningDays);
                if (expiring)
                {
                    findings.Add(new("mx.certificate-expiring", FindingSeverity.Warning,
                        $"The certificate of {where} expires on {mx.CertificateExpires:yyyy-MM-dd}, in less than {certificateWarningDays.ToString(CultureInfo.InvariantCulture)} days.",
                        null, $"{Rfc8461} section 4.2"));
                }
                else if (mx.MatchesPolicy != false)
                {
                    findings.Add(new("mx.transport-ok", FindingSeverity.Pass,
                        $"{where} offers STARTTLS ({mx.TlsVersion}) with a certificate valid for its name until {mx.CertificateExpires:yyyy-MM-dd}.", null, $"{Rfc8461} section 4.2"));
                }
            }

            // A host outside the policy's patterns is already reported by the policy check (mta-sts.mx-not-covered).
            if (mx.DaneTlsa == true)
            {
                findings.Add(new("mx.dane-tlsa", FindingSeverity.Info, $"{mx.Host} publishes DANE TLSA records at _25._tcp.{mx.Host}.", null, "RFC 7672"));
            }
        }

        return findings;
    }

    /// <summary>Whether <paramref name="host"/> matches one of the policy's mx patterns (RFC 8461 section 4.1); null without a policy.</summary>
    public static bool? MatchesPolicy(MtaStsPolicy? policy, string host) => policy?.Matches(host);
}
