using System.Globalization;
using Portal.Core.Health;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Text;

namespace Portal.Core.Adoption;

/// <summary>
/// What a mail domain publishes today outside the portal, as read by the health check (the policy over HTTPS, the
/// <c>_mta-sts</c> and <c>_smtp._tls</c> records), and the problems the check found there.
/// </summary>
public sealed record FoundMtaSts(
    string Domain,
    MtaStsMode Mode,
    long MaxAge,
    IReadOnlyList<string> Mx,
    string? PolicyId,
    IReadOnlyList<string> TlsRptRua,
    IReadOnlyList<Finding> Problems);

/// <summary>What an admin sees before adopting: what was found, or why the domain cannot be adopted.</summary>
public sealed record AdoptionPreview(string Domain, FoundMtaSts? Found, string? Refusal)
{
    public bool CanAdopt => Refusal is null && Found is not null;
}

/// <summary>
/// The rules of adopting an existing MTA-STS domain: the portal records what is served (it deploys nothing then), so
/// only a domain whose policy senders can read is adopted, and the recorded revision is that policy, unchanged.
/// </summary>
public static class MtaStsAdoption
{
    /// <summary>The mail domain as typed, trimmed, lower case and without a final dot, or a message saying what is wrong.</summary>
    public static (string Domain, string? Problem) Normalize(string? input)
    {
        var domain = (input ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        if (domain.Length == 0)
        {
            return (domain, "Enter the mail domain to adopt, e.g. example.com.");
        }

        if (HostNameRules.Check(domain) is { } problem)
        {
            return (domain, $"The mail domain {problem}");
        }

        return ServedNames.MtaStsPolicyHost(domain).Length > HostNameRules.MaxNameLength
            ? (domain, $"The mail domain is too long: '{ServedNames.MtaStsPolicyHost(domain)}' would exceed {HostNameRules.MaxNameLength} characters.")
            : (domain, null);
    }

    /// <summary>Judges a mail check of <paramref name="domain"/>: what it found, or why there is nothing to adopt.</summary>
    public static AdoptionPreview Judge(string domain, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var problems = report.Findings.Where(f => f.Severity >= FindingSeverity.Warning).ToList();
        var firstError = problems.FirstOrDefault(f => f.Severity == FindingSeverity.Error);
        if (report.Verdict == MtaStsVerdict.NoPolicy || report.PolicyId is null)
        {
            return new(domain, null,
                $"{domain} announces no MTA-STS policy (no valid v=STSv1 record at _mta-sts.{domain}){(firstError is null ? "" : ": " + firstError.Message)} "
                + "Only a published policy can be adopted; to start one, make a new MTA-STS request.");
        }

        if (report.Policy is not { } policy)
        {
            return new(domain, null,
                $"The policy of {domain} could not be read from {ServedNames.MtaStsPolicyHost(domain)}{(firstError is null ? "." : ": " + firstError.Message)} "
                + "Only a policy senders can fetch is adopted; fix it where it is served, or make a new MTA-STS request.");
        }

        return new(domain, new FoundMtaSts(domain, policy.Mode, policy.MaxAge, policy.Mx, report.PolicyId, report.TlsRptRua, problems), null);
    }

    /// <summary>The revision an adoption records: the served policy as it is, in the hosted zone the admin picked (or DNS elsewhere).</summary>
    public static MtaStsSpec Spec(FoundMtaSts found, string? hostedZoneId, string? hostedZoneName)
    {
        ArgumentNullException.ThrowIfNull(found);
        return new MtaStsSpec
        {
            Domain = found.Domain,
            Mode = found.Mode,
            MaxAge = found.MaxAge,
            Mx = found.Mx,
            TlsRptRua = found.TlsRptRua,
            HostedZoneId = string.IsNullOrWhiteSpace(hostedZoneId) ? null : hostedZoneId.Trim(),
            HostedZoneName = string.IsNullOrWhiteSpace(hostedZoneId) || string.IsNullOrWhiteSpace(hostedZoneName) ? null : hostedZoneName.Trim().TrimEnd('.').ToLowerInvariant(),
        };
    }

    /// <summary>The audit trail's sentence: what was served when it was adopted, so the record shows what the portal took over.</summary>
    public static string Summary(FoundMtaSts found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Adopted what {ServedNames.MtaStsPolicyHost(found.Domain)} serves: mode {MtaStsPublication.ModeText(found.Mode)}, max_age {found.MaxAge}, "
            + $"mx {(found.Mx.Count == 0 ? "(none)" : string.Join(", ", found.Mx))}; _mta-sts id {found.PolicyId ?? "(none)"}; "
            + $"TLS-RPT {(found.TlsRptRua.Count == 0 ? "(none)" : string.Join(", ", found.TlsRptRua))}; "
            + $"{found.Problems.Count} problem(s) found.");
        return text.Length > FreeText.MaxReasonLength ? text[..FreeText.MaxReasonLength] : text;
    }
}
