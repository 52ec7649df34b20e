namespace Portal.Core.Health;

public enum FindingSeverity
{
    Pass,
    Info,
    Warning,
    Error,
}

/// <summary>
/// One observation of a check: a stable id (for alerts and history), how bad it is, a sentence for a person, the
/// evidence seen on the wire, and the section of the standard that sets the rule.
/// </summary>
public sealed record Finding(string Id, FindingSeverity Severity, string Message, string? Evidence = null, string? Reference = null);

/// <summary>
/// What a sending server concludes about a mail domain's MTA-STS (RFC 8461): a policy it would apply, no policy at all
/// (no usable <c>_mta-sts</c> record, section 3.1), or a failure to fetch or read the announced policy (section 3.3).
/// </summary>
public enum MtaStsVerdict
{
    ValidPolicy,
    NoPolicy,
    PolicyError,
}

public enum HealthCheckKind
{
    Mail,
    Site,
}

/// <summary>What a check found out about one name, with the figures the dashboard shows.</summary>
public sealed record HealthReport(
    string Name,
    HealthCheckKind Kind,
    DateTimeOffset CheckedAt,
    TimeSpan Duration,
    IReadOnlyList<Finding> Findings)
{
    public FindingSeverity Worst => Findings.Count == 0 ? FindingSeverity.Pass : Findings.Max(f => f.Severity);

    /// <summary>The CLI's exit code: 0 healthy, 1 warnings, 2 errors.</summary>
    public int ExitCode => Worst switch
    {
        FindingSeverity.Error => 2,
        FindingSeverity.Warning => 1,
        _ => 0,
    };

    public string? MtaStsMode { get; init; }

    /// <summary>For a mail check: what a sender following RFC 8461's requirements would conclude.</summary>
    public MtaStsVerdict? Verdict { get; init; }

    public string? PolicyId { get; init; }

    /// <summary>SHA-256 of the served policy body, to tell a changed policy behind an unchanged id.</summary>
    public string? PolicyHash { get; init; }

    public long? MaxAge { get; init; }

    public DateTimeOffset? CertificateExpires { get; init; }

    public string? Grade { get; init; }

    public int? Score { get; init; }

    /// <summary>
    /// True when the outbound address policy refused every address the check would connect to, so nothing was
    /// checked beyond DNS; such a name is not put on the watch list.
    /// </summary>
    public bool AddressRefused { get; init; }

    /// <summary>For a mail check: the transport check of each MX host, in MX preference order (empty when not run).</summary>
    public IReadOnlyList<MxTransportResult> MxHosts { get; init; } = [];

    /// <summary>
    /// For a mail check: the policy senders would apply (null when none could be read), so what a domain publishes can be
    /// recorded, as an adoption does; the stored result keeps its summary fields only.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Portal.Core.MtaSts.MtaStsPolicy? Policy { get; init; }

    /// <summary>For a mail check: the report URIs of the one valid <c>_smtp._tls</c> record (empty when there is none).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> TlsRptRua { get; init; } = [];
}
