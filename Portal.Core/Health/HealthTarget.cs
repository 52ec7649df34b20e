using System.Text.Json;

namespace Portal.Core.Health;

/// <summary>
/// A name the portal watches: a site host or a mail domain, from a request or added by hand. It carries the latest
/// figures for the dashboard and the alert conditions already raised, so an alert fires once per change.
/// </summary>
public sealed class HealthTarget
{
    private HealthTarget()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public HealthCheckKind Kind { get; private set; }

    /// <summary>The request that provisions this name; null when a person added it by hand.</summary>
    public Guid? RequestId { get; private set; }

    public string AddedBy { get; private set; } = "";

    public DateTimeOffset AddedAt { get; private set; }

    /// <summary>When the next scheduled check is due. Claiming a check moves it forward, guarded by <see cref="ClaimVersion"/>.</summary>
    public DateTimeOffset NextCheckAt { get; private set; }

    public int ClaimVersion { get; private set; }

    public DateTimeOffset? LastCheckedAt { get; private set; }

    public FindingSeverity? LastWorst { get; private set; }

    public string? LastGrade { get; private set; }

    public int? LastScore { get; private set; }

    public string? LastMode { get; private set; }

    public DateTimeOffset? CertificateExpires { get; private set; }

    public string? LastPolicyId { get; private set; }

    public string? LastPolicyHash { get; private set; }

    /// <summary>Alert conditions raised and not yet cleared, comma-separated.</summary>
    public string ActiveAlerts { get; private set; } = "";

    public static HealthTarget Create(string name, HealthCheckKind kind, Guid? requestId, string addedBy, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Name = name,
        Kind = kind,
        RequestId = requestId,
        AddedBy = addedBy,
        AddedAt = now,
        NextCheckAt = now,
    };

    /// <summary>Takes this target's next check for one scanner; the bumped version makes a second claimant's save fail.</summary>
    public void Claim(DateTimeOffset leaseUntil)
    {
        NextCheckAt = leaseUntil;
        ClaimVersion++;
    }

    public void CheckNow(DateTimeOffset now)
    {
        NextCheckAt = now;
        ClaimVersion++;
    }

    /// <summary>The previous result as the checkers compare against it (changed policy behind an unchanged id, grade drops).</summary>
    public HealthReport? Previous => LastCheckedAt is null
        ? null
        : new HealthReport(Name, Kind, LastCheckedAt.Value, TimeSpan.Zero, [])
        {
            PolicyId = LastPolicyId,
            PolicyHash = LastPolicyHash,
            Grade = LastGrade,
            Score = LastScore,
            MtaStsMode = LastMode,
            CertificateExpires = CertificateExpires,
        };

    /// <summary>Records a finished check and returns the alert conditions it newly raised.</summary>
    public IReadOnlyList<string> Record(HealthReport report, DateTimeOffset nextCheckAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        LastCheckedAt = report.CheckedAt;
        LastWorst = report.Worst;
        LastGrade = report.Grade ?? LastGrade;
        LastScore = report.Score ?? LastScore;
        LastMode = report.MtaStsMode;
        CertificateExpires = report.CertificateExpires;
        LastPolicyId = report.PolicyId;
        // While the id stays the one under which another body was served, senders may hold that body: keep comparing
        // with it, so the changed-policy error lasts until the id changes (or the old body is served again).
        var idUnchanged = report.Findings.Any(f => f.Id == "mta-sts.id-unchanged");
        LastPolicyHash = idUnchanged ? LastPolicyHash : report.PolicyHash ?? LastPolicyHash;
        NextCheckAt = nextCheckAt;
        ClaimVersion++;

        var now = AlertConditions.From(report).ToHashSet(StringComparer.Ordinal);
        var before = ActiveAlerts.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        ActiveAlerts = string.Join(',', now.Order(StringComparer.Ordinal));
        return [.. now.Except(before).Order(StringComparer.Ordinal)];
    }
}

/// <summary>One stored check result, for history and the chart.</summary>
public sealed class HealthResult
{
    private HealthResult()
    {
    }

    public Guid Id { get; private set; }

    public Guid TargetId { get; private set; }

    public DateTimeOffset CheckedAt { get; private set; }

    public FindingSeverity Worst { get; private set; }

    public string? Grade { get; private set; }

    public int? Score { get; private set; }

    public string? Mode { get; private set; }

    public DateTimeOffset? CertificateExpires { get; private set; }

    public int DurationMs { get; private set; }

    public string FindingsJson { get; private set; } = "[]";

    public IReadOnlyList<Finding> Findings => JsonSerializer.Deserialize<List<Finding>>(FindingsJson) ?? [];

    /// <summary>The MX transport check's result per MX host of a mail domain, as JSON; "[]" when none ran.</summary>
    public string MxHostsJson { get; private set; } = "[]";

    public IReadOnlyList<MxTransportResult> MxHosts => JsonSerializer.Deserialize<List<MxTransportResult>>(MxHostsJson) ?? [];

    public static HealthResult From(Guid targetId, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new()
        {
            Id = Guid.CreateVersion7(report.CheckedAt),
            TargetId = targetId,
            CheckedAt = report.CheckedAt,
            Worst = report.Worst,
            Grade = report.Grade,
            Score = report.Score,
            Mode = report.MtaStsMode,
            CertificateExpires = report.CertificateExpires,
            DurationMs = (int)Math.Min(int.MaxValue, report.Duration.TotalMilliseconds),
            FindingsJson = JsonSerializer.Serialize(report.Findings),
            MxHostsJson = JsonSerializer.Serialize(report.MxHosts),
        };
    }
}

/// <summary>The conditions that deserve an alert: a grade below A, a certificate near expiry, MTA-STS broken.</summary>
public static class AlertConditions
{
    public static IEnumerable<string> From(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Kind == HealthCheckKind.Mail && report.Worst == FindingSeverity.Error)
        {
            yield return "mta-sts-broken";
        }

        if (report.Findings.Any(f => f.Id is "site.certificate-expiring" or "site.certificate-invalid" or "mta-sts.certificate-invalid"))
        {
            yield return "certificate";
        }

        if (report.Findings.Any(f => f.Id == "site.grade-dropped"))
        {
            yield return "grade-dropped:" + report.Grade;
        }

        if (report.Kind == HealthCheckKind.Site && report.Worst == FindingSeverity.Error)
        {
            yield return "site-broken";
        }
    }
}
