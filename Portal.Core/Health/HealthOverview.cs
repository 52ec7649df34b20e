namespace Portal.Core.Health;

/// <summary>How a watched name is doing, in the words the dashboard counts and filters by.</summary>
public enum HealthStatus
{
    NotChecked,
    Healthy,
    Warnings,
    Failing,
}

/// <summary>Whether a mail domain publishes a TLS-RPT record (RFC 8460), as its latest check saw it.</summary>
public enum TlsRptPresence
{
    /// <summary>Not checked yet, or the check stopped before it looked at <c>_smtp._tls</c>.</summary>
    Unknown,
    Present,
    Missing,
    Invalid,
}

/// <summary>One watched name as the dashboard lists it: the latest figures of its target.</summary>
public sealed record HealthRow(
    Guid Id,
    string Name,
    HealthCheckKind Kind,
    DateTimeOffset? LastCheckedAt,
    FindingSeverity? Worst,
    string? Grade,
    string? Mode,
    DateTimeOffset? CertificateExpires,
    TlsRptPresence TlsRpt = TlsRptPresence.Unknown)
{
    public HealthStatus Status => HealthStatuses.Of(LastCheckedAt is null ? null : Worst);
}

/// <summary>Counts of one kind of name by status.</summary>
public sealed record HealthStatusCounts(int Healthy, int Warnings, int Failing, int NotChecked)
{
    public int Total => Healthy + Warnings + Failing + NotChecked;

    public int Of(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => Healthy,
        HealthStatus.Warnings => Warnings,
        HealthStatus.Failing => Failing,
        _ => NotChecked,
    };

    public static HealthStatusCounts From(IEnumerable<HealthRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.ToList();
        return new(
            list.Count(r => r.Status == HealthStatus.Healthy),
            list.Count(r => r.Status == HealthStatus.Warnings),
            list.Count(r => r.Status == HealthStatus.Failing),
            list.Count(r => r.Status == HealthStatus.NotChecked));
    }
}

/// <summary>A certificate that expires within the warning window (or has expired), with the days left (negative once expired).</summary>
public sealed record ExpiringCertificate(Guid TargetId, string Name, HealthCheckKind Kind, DateTimeOffset Expires, int DaysLeft);

/// <summary>How many sites carry each header grade, best grade first.</summary>
public sealed record GradeCount(string Grade, int Count);

/// <summary>
/// What the health dashboard says at a glance: sites and mail domains by status, certificates expiring within the
/// warning window, each mail domain's MTA-STS mode and TLS-RPT record, and the sites' header grades.
/// </summary>
public sealed record HealthSummary(
    HealthStatusCounts Sites,
    HealthStatusCounts MailDomains,
    IReadOnlyList<ExpiringCertificate> ExpiringCertificates,
    IReadOnlyList<HealthRow> MailDomainRows,
    IReadOnlyList<GradeCount> Grades)
{
    /// <summary>Mail domains whose MTA-STS policy is still in <c>testing</c>: senders report failures but deliver anyway.</summary>
    public IReadOnlyList<HealthRow> InTesting => [.. MailDomainRows.Where(r => string.Equals(r.Mode, "testing", StringComparison.Ordinal))];

    /// <param name="warningDays">The certificate warning window (<see cref="HealthOptions.CertificateWarningDays"/>).</param>
    public static HealthSummary From(IReadOnlyCollection<HealthRow> rows, DateTimeOffset now, int warningDays)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sites = rows.Where(r => r.Kind == HealthCheckKind.Site).ToList();
        var mail = rows.Where(r => r.Kind == HealthCheckKind.Mail).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var expiring = rows
            .Where(r => r.CertificateExpires is { } expires && expires <= now.AddDays(warningDays))
            .Select(r => new ExpiringCertificate(r.Id, r.Name, r.Kind, r.CertificateExpires!.Value, DaysLeft(r.CertificateExpires.Value, now)))
            .OrderBy(c => c.Expires).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var grades = sites.Where(r => !string.IsNullOrEmpty(r.Grade))
            .GroupBy(r => r.Grade!, StringComparer.Ordinal)
            .Select(g => new GradeCount(g.Key, g.Count()))
            .OrderBy(g => HealthGrades.Rank(g.Grade)).ThenBy(g => g.Grade, StringComparer.Ordinal)
            .ToList();
        return new(HealthStatusCounts.From(sites), HealthStatusCounts.From(mail), expiring, mail, grades);
    }

    /// <summary>Whole days until expiry, rounded down, so a certificate that expires in 20 hours has 0 days left.</summary>
    private static int DaysLeft(DateTimeOffset expires, DateTimeOffset now) => (int)Math.Floor((expires - now).TotalDays);
}

public static class HealthStatuses
{
    /// <summary>The status of a latest result: informational findings still count as healthy; no result is not checked.</summary>
    public static HealthStatus Of(FindingSeverity? worst) => worst switch
    {
        null => HealthStatus.NotChecked,
        FindingSeverity.Error => HealthStatus.Failing,
        FindingSeverity.Warning => HealthStatus.Warnings,
        _ => HealthStatus.Healthy,
    };

    public static string Label(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Warnings => "warnings",
        HealthStatus.Failing => "errors",
        _ => "not checked",
    };

    /// <summary>
    /// Reads the TLS-RPT findings of a mail check. A valid record adds no finding, so "present" is what remains once
    /// the checker looked at <c>_smtp._tls</c>; a check refused before it connected anywhere never looked.
    /// </summary>
    public static TlsRptPresence TlsRpt(IReadOnlyCollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0 || findings.Any(f => f.Id is "mta-sts.address-refused"))
        {
            return TlsRptPresence.Unknown;
        }

        if (findings.Any(f => f.Id is "tlsrpt.missing" or "tlsrpt.missing-while-testing"))
        {
            return TlsRptPresence.Missing;
        }

        return findings.Any(f => f.Id.StartsWith("tlsrpt.", StringComparison.Ordinal) && f.Severity == FindingSeverity.Error)
            ? TlsRptPresence.Invalid
            : TlsRptPresence.Present;
    }
}

/// <summary>The order of the header grades (the MDN HTTP Observatory's chart), best first.</summary>
public static class HealthGrades
{
    public static readonly IReadOnlyList<string> Ordered = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"];

    /// <summary>The grade's place in <see cref="Ordered"/>; an unknown grade sorts last.</summary>
    public static int Rank(string grade)
    {
        for (var i = 0; i < Ordered.Count; i++)
        {
            if (string.Equals(Ordered[i], grade, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return Ordered.Count;
    }
}
