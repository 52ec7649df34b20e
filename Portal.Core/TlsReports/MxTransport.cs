using Portal.Core.Health;

namespace Portal.Core.TlsReports;

/// <summary>What the transport check of one MX host found: STARTTLS offered, a certificate valid for the MX name, the name matching the policy's <c>mx</c> patterns.</summary>
public sealed record MxTransportResult(string Host, bool StartTls, bool CertificateValidForName, bool MatchesPolicy, string? Detail = null)
{
    public bool Passed => StartTls && CertificateValidForName && MatchesPolicy;
}

/// <summary>The MX hosts of a mail domain as last checked; <see cref="NotChecked"/> says why there are none (e.g. outbound port 25 blocked).</summary>
public sealed record MxTransportResults(DateTimeOffset? CheckedAt, IReadOnlyList<MxTransportResult> Hosts, string? NotChecked = null)
{
    public static MxTransportResults None(string why) => new(null, [], why);

    /// <summary>
    /// The MX results inside a stored mail check: one finding per MX host with the id <c>mx.transport.&lt;host&gt;</c>
    /// and the evidence <c>starttls=yes|no; certificate-valid=yes|no; matches-policy=yes|no</c>; a finding
    /// <c>mx.not-checked</c> says why no MX could be tried. Null when the check holds no MX results at all.
    /// </summary>
    public static MxTransportResults? FromFindings(DateTimeOffset checkedAt, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var hosts = new List<MxTransportResult>();
        string? notChecked = null;
        foreach (var finding in findings)
        {
            if (finding.Id == NotCheckedId)
            {
                notChecked = finding.Message;
            }
            else if (finding.Id.StartsWith(HostIdPrefix, StringComparison.Ordinal) && finding.Id.Length > HostIdPrefix.Length)
            {
                var fields = (finding.Evidence ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(f => f.Split('=', 2))
                    .Where(f => f.Length == 2)
                    .ToDictionary(f => f[0], f => f[1] == "yes", StringComparer.Ordinal);
                hosts.Add(new MxTransportResult(
                    finding.Id[HostIdPrefix.Length..],
                    fields.GetValueOrDefault("starttls"),
                    fields.GetValueOrDefault("certificate-valid"),
                    fields.GetValueOrDefault("matches-policy"),
                    finding.Message));
            }
        }

        return hosts.Count == 0 && notChecked is null ? null : new MxTransportResults(checkedAt, hosts, hosts.Count == 0 ? notChecked : null);
    }

    public const string HostIdPrefix = "mx.transport.";

    public const string NotCheckedId = "mx.not-checked";
}

/// <summary>Where the enforce gate reads a mail domain's MX transport results from (the health engine's stored checks).</summary>
public interface IMxTransportResults
{
    Task<MxTransportResults> ForDomainAsync(string mailDomain, CancellationToken ct = default);
}
