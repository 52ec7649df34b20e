using Portal.Core.Health;

namespace Portal.Core.TlsReports;

/// <summary>One MX host as the enforce gate weighs it (from the health engine's <see cref="Health.MxTransportResult"/>): STARTTLS offered, a certificate valid for the MX name, the name matching the policy's <c>mx</c> patterns.</summary>
public sealed record MxHostEvidence(string Host, bool StartTls, bool CertificateValidForName, bool MatchesPolicy, string? Detail = null)
{
    public bool Passed => StartTls && CertificateValidForName && MatchesPolicy;
}

/// <summary>The MX hosts of a mail domain as last checked; <see cref="NotChecked"/> says why there are none (e.g. outbound port 25 blocked).</summary>
public sealed record MxTransportResults(DateTimeOffset? CheckedAt, IReadOnlyList<MxHostEvidence> Hosts, string? NotChecked = null)
{
    public static MxTransportResults None(string why) => new(null, [], why);

    /// <summary>
    /// The MX results of a stored mail check: each MX host the health engine tried (<see cref="Health.MxTransportResult"/>).
    /// When none could be reached from here (outbound port 25 is often blocked), the results hold no host and the
    /// <c>mx.not-checked</c> finding says why. Null when the check holds no MX results at all.
    /// </summary>
    public static MxTransportResults? FromHealthCheck(DateTimeOffset checkedAt, IReadOnlyList<Health.MxTransportResult> hosts, IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(findings);
        var notChecked = findings.FirstOrDefault(f => f.Id == NotCheckedId)?.Message;
        if (hosts.Count == 0)
        {
            return notChecked is null ? null : new MxTransportResults(checkedAt, [], notChecked);
        }

        if (!hosts.Any(h => h.Reachable))
        {
            return new MxTransportResults(checkedAt, [], notChecked ?? "no MX host could be reached from here.");
        }

        return new MxTransportResults(checkedAt, [.. hosts.Select(h => new MxHostEvidence(
            h.Host, h.StartTls == true, h.Reachable && h.CertificateValidForName == true, h.MatchesPolicy != false, h.Reachable ? h.Problem : "not reachable from here"))]);
    }

    public const string NotCheckedId = "mx.not-checked";
}

/// <summary>Where the enforce gate reads a mail domain's MX transport results from (the health engine's stored checks).</summary>
public interface IMxTransportResults
{
    Task<MxTransportResults> ForDomainAsync(string mailDomain, CancellationToken ct = default);
}
