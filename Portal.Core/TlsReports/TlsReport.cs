namespace Portal.Core.TlsReports;

/// <summary>
/// One aggregate report of RFC 8460 section 4: who sent it, the period it covers, and per policy the sessions that
/// succeeded and failed, with the failures' details.
/// </summary>
public sealed record TlsReport(
    string OrganizationName,
    DateTimeOffset StartDate,
    DateTimeOffset EndDate,
    string? ContactInfo,
    string ReportId,
    IReadOnlyList<TlsReportPolicy> Policies)
{
    public long SuccessfulSessions => Policies.Sum(p => p.SuccessfulSessions);

    public long FailedSessions => Policies.Sum(p => p.FailedSessions);

    /// <summary>The policy domains the report speaks of (normally one: the mail domain it was sent for).</summary>
    public IEnumerable<string> PolicyDomains => Policies.Select(p => p.PolicyDomain).Distinct(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One <c>policies</c> entry: the policy the sender applied (<c>sts</c>, <c>tlsa</c> or <c>no-policy-found</c>) and its counts.</summary>
public sealed record TlsReportPolicy(
    string PolicyType,
    string PolicyDomain,
    IReadOnlyList<string> PolicyStrings,
    IReadOnlyList<string> MxHosts,
    long SuccessfulSessions,
    long FailedSessions,
    IReadOnlyList<TlsFailureDetail> FailureDetails);

/// <summary>One <c>failure-details</c> entry: what went wrong (<see cref="ResultType"/>), with which MX, how many times.</summary>
public sealed record TlsFailureDetail(
    string ResultType,
    string? SendingMtaIp,
    string? ReceivingMxHostname,
    string? ReceivingMxHelo,
    string? ReceivingIp,
    long FailedSessions,
    string? AdditionalInformation,
    string? FailureReasonCode);

/// <summary>The result types RFC 8460 section 4.3 names; senders may use others, which are kept as they come.</summary>
public static class TlsResultTypes
{
    public static readonly IReadOnlyList<string> Known =
    [
        "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
        "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
        "sts-policy-invalid", "sts-webpki-invalid",
    ];
}
