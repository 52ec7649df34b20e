using System.Text.RegularExpressions;
using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Core.Deployments;

/// <summary>What a record published by hand is for; also the order in which to publish them.</summary>
public enum ExternalRecordPurpose
{
    /// <summary>ACM's CNAME that proves control of <c>mta-sts.&lt;domain&gt;</c>: the stack waits for the certificate until it is visible.</summary>
    CertificateValidation,

    /// <summary><c>mta-sts.&lt;domain&gt;</c> CNAME to the CloudFront distribution that serves the policy.</summary>
    PolicyHost,

    /// <summary><c>_mta-sts.&lt;domain&gt;</c> TXT <c>v=STSv1; id=...</c> (RFC 8461 section 3.1).</summary>
    PolicyId,

    /// <summary><c>_smtp._tls.&lt;domain&gt;</c> TXT <c>v=TLSRPTv1; rua=...</c> (RFC 8460 section 3).</summary>
    TlsReporting,
}

/// <summary>
/// One record to publish at the mail domain's DNS provider. <paramref name="Value"/> is null while the stack does not
/// know it yet (the distribution's domain before the stack completes); <paramref name="When"/> says what to wait for.
/// </summary>
public sealed record ExternalRecord(ExternalRecordPurpose Purpose, string Name, string Type, string? Value, string What, string? When);

/// <summary>The records to publish by hand, what the stack waits for, and which records a new revision changes.</summary>
public sealed record ExternalDnsPlan(IReadOnlyList<ExternalRecord> Records, string Waiting, IReadOnlyList<string> Changes);

public enum RecordVisibility
{
    /// <summary>DNS answers exactly the expected value.</summary>
    Visible,

    /// <summary>DNS has no such record yet.</summary>
    Missing,

    /// <summary>DNS answers something else: an old value, or more than one record where one is allowed.</summary>
    Different,

    /// <summary>The expected value is not known yet, so there is nothing to compare.</summary>
    NotKnownYet,

    /// <summary>The resolver gave no usable answer (timeout, SERVFAIL).</summary>
    NoAnswer,
}

/// <summary>What DNS answered for one record's name and type: the values (TXT strings joined, CNAME targets), or a failure.</summary>
public sealed record DnsObservation(bool Answered, IReadOnlyList<string> Values, string? Problem = null)
{
    public static DnsObservation Found(params string[] values) => new(true, values);

    public static DnsObservation Nothing { get; } = new(true, []);

    public static DnsObservation Failed(string problem) => new(false, [], problem);
}

public sealed record RecordCheck(ExternalRecordPurpose Purpose, RecordVisibility Visibility, string Message);

/// <summary>
/// The records an MTA-STS policy needs when the mail domain's DNS is outside Route53 (the stack then writes none), built
/// from the request and from what the stack reported: ACM's validation CNAME from the certificate's in-progress event
/// (CloudFormation's status reason reads <c>Content of DNS Record is: {Name: ...,Type: CNAME,Value: ...}</c>), the
/// distribution's domain and the served policy id from the stack's outputs. <see cref="Check"/> compares one record
/// with what DNS answers.
/// </summary>
public static partial class ExternalDnsRecords
{
    /// <summary>The validation record in an ACM status reason as CloudFormation shows it, or null.</summary>
    public static (string Name, string Value)? ValidationRecord(string? reason)
    {
        var match = reason is null ? null : ValidationPattern().Match(reason);
        return match is { Success: true } ? (Fqdn(match.Groups["name"].Value), Fqdn(match.Groups["value"].Value)) : null;
    }

    /// <param name="spec">The revision being deployed or served.</param>
    /// <param name="environment">The environment whose policy the stack serves (or is deploying).</param>
    /// <param name="stack">The request's MTA-STS stack as last read, or null before it exists.</param>
    /// <param name="events">The stack's stored events, any order.</param>
    /// <param name="previous">The revision served before this one (the live one), to say which records a change touches.</param>
    public static ExternalDnsPlan Plan(MtaStsSpec spec, DeploymentEnvironment environment, TrackedStack? stack, IReadOnlyList<StoredStackEvent> events, MtaStsSpec? previous = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(events);
        var host = ServedNames.MtaStsPolicyHost(spec.Domain);
        var outputs = Outputs(stack);
        var certificate = events.Where(e => e.ResourceType == "AWS::CertificateManager::Certificate").OrderBy(e => e.Timestamp).ToList();
        var validation = certificate.Select(e => ValidationRecord(e.ResourceStatusReason)).LastOrDefault(r => r is not null);
        var issued = certificate.Count > 0 && certificate[^1].ResourceStatus is "CREATE_COMPLETE" or "UPDATE_COMPLETE";
        var planned = MtaStsPublication.Create(spec, environment).Publication;
        outputs.TryGetValue("DistributionDomainName", out var distribution);
        outputs.TryGetValue("PolicyIdRecord", out var servedId);
        var stackDone = stack?.Status is { } status && status.EndsWith("_COMPLETE", StringComparison.Ordinal) && !status.Contains("ROLLBACK", StringComparison.Ordinal)
            && !status.StartsWith("DELETE", StringComparison.Ordinal);

        // The TXT record names the policy the host serves now; while a new policy is being deployed the old id stays
        // (RFC 8461 section 8.1: senders must not see a new id before the new policy is served).
        var idValue = stackDone && servedId is not null ? servedId : planned?.PolicyIdRecord.Value;
        var idPending = planned is not null && (!stackDone || servedId != planned.PolicyIdRecord.Value);
        var records = new List<ExternalRecord>
        {
            new(ExternalRecordPurpose.CertificateValidation, validation?.Name ?? $"(ACM's name under {host})", "CNAME", validation?.Value,
                $"Proves to ACM that you control {host}, so it issues the certificate CloudFront serves the policy with. Keep it: ACM renews with it.",
                validation is null ? "Shown once CloudFormation has asked ACM for the certificate." : null),
            new(ExternalRecordPurpose.PolicyHost, host, "CNAME", distribution is null ? null : Fqdn(distribution),
                "Sends senders fetching the policy to the CloudFront distribution.",
                distribution is null ? "Known once the stack is complete (its output DistributionDomainName)." : null),
            new(ExternalRecordPurpose.PolicyId, "_mta-sts." + spec.Domain, "TXT", idValue,
                "Announces the policy and its id; senders fetch the policy again only when the id changes.",
                idPending && planned is not null
                    ? $"Publish {(servedId is null || !stackDone ? "it" : $"the new value \"{planned.PolicyIdRecord.Value}\"")} only once https://{host}/.well-known/mta-sts.txt serves the new policy, i.e. when the stack is complete (RFC 8461 section 8.1)."
                    : null),
        };
        if (planned?.TlsRptRecord is { } tlsRpt)
        {
            records.Add(new(ExternalRecordPurpose.TlsReporting, tlsRpt.Name, "TXT", tlsRpt.Value, "Where senders send TLS reports (RFC 8460).", null));
        }

        var changes = new List<string>();
        if (previous is not null && MtaStsPublication.Create(previous, DeploymentEnvironment.Production).Publication is { } before && planned is not null)
        {
            var now = MtaStsPublication.Create(spec, DeploymentEnvironment.Production).Publication!;
            if (before.PolicyId != now.PolicyId)
            {
                changes.Add($"The policy changes: once the stack is complete, update the TXT record _mta-sts.{spec.Domain} from \"{before.PolicyIdRecord.Value}\" to \"{now.PolicyIdRecord.Value}\". The CNAME records stay as they are.");
            }

            if (before.TlsRptRecord?.Value != now.TlsRptRecord?.Value)
            {
                changes.Add(now.TlsRptRecord is null
                    ? $"TLS reporting ends: remove the TXT record _smtp._tls.{spec.Domain}."
                    : $"TLS reporting changes: set the TXT record _smtp._tls.{spec.Domain} to \"{now.TlsRptRecord.Value}\".");
            }
        }

        return new ExternalDnsPlan(records, Waiting(stack, validation, issued, host), changes);
    }

    private static string Waiting(TrackedStack? stack, (string Name, string Value)? validation, bool issued, string host)
    {
        var status = stack?.Status;
        if (status is null || stack!.Deleted)
        {
            return "The stack has not been created yet; the records appear here as CloudFormation reports them.";
        }

        if (status.Contains("ROLLBACK", StringComparison.Ordinal) || status.EndsWith("_FAILED", StringComparison.Ordinal))
        {
            return $"The stack is {status}: see the deployment above for the reason.";
        }

        if (status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
        {
            if (!issued && validation is { } record)
            {
                return $"The stack is waiting for ACM to issue the certificate of {host}: publish the validation CNAME {record.Name}. ACM looks for it by itself and CloudFormation continues once the certificate is issued.";
            }

            return $"The stack is {status}: the distribution's domain appears here when it is complete.";
        }

        return $"The stack is complete ({status}). Point {host} at the distribution, then publish the _mta-sts TXT record once the policy is served there.";
    }

    /// <summary>Compares a record with DNS's answer for its name and type.</summary>
    public static RecordCheck Check(ExternalRecord record, DnsObservation observed)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(observed);
        if (record.Value is null)
        {
            return new(record.Purpose, RecordVisibility.NotKnownYet, "Nothing to compare yet: the value is not known.");
        }

        if (!observed.Answered)
        {
            return new(record.Purpose, RecordVisibility.NoAnswer, observed.Problem ?? $"DNS gave no answer for {record.Type} {record.Name}.");
        }

        return record.Purpose switch
        {
            ExternalRecordPurpose.PolicyId => CheckTxt(record, observed, "v=STSv1", "RFC 8461 section 3.1",
                (a, b) => MtaStsTxtRecord.Parse(a).Value?.Id is { } id && id == MtaStsTxtRecord.Parse(b).Value?.Id),
            ExternalRecordPurpose.TlsReporting => CheckTxt(record, observed, "v=TLSRPTv1", "RFC 8460 section 3",
                (a, b) => Squeeze(a) == Squeeze(b)),
            _ => CheckCname(record, observed),
        };
    }

    private static RecordCheck CheckCname(ExternalRecord record, DnsObservation observed)
    {
        var expected = Fqdn(record.Value!);
        var targets = observed.Values.Select(Fqdn).ToList();
        if (targets.Count == 0)
        {
            return new(record.Purpose, RecordVisibility.Missing, $"No CNAME at {record.Name} yet.");
        }

        return targets.Contains(expected, StringComparer.Ordinal)
            ? new(record.Purpose, RecordVisibility.Visible, $"Visible: {record.Name} CNAME {expected}.")
            : new(record.Purpose, RecordVisibility.Different, $"DNS has {record.Name} CNAME {string.Join(", ", targets)}; change it to {expected}.");
    }

    private static RecordCheck CheckTxt(ExternalRecord record, DnsObservation observed, string version, string rfc, Func<string, string, bool> same)
    {
        var candidates = observed.Values.Where(v => v.StartsWith(version, StringComparison.Ordinal)).ToList();
        return candidates.Count switch
        {
            0 => new(record.Purpose, RecordVisibility.Missing, $"No {version} TXT record at {record.Name} yet."),
            > 1 => new(record.Purpose, RecordVisibility.Different,
                $"{record.Name} has {candidates.Count} {version} records; senders ignore them all unless there is exactly one ({rfc}). Keep only \"{record.Value}\"."),
            _ when same(candidates[0], record.Value!) => new(record.Purpose, RecordVisibility.Visible, $"Visible: \"{candidates[0]}\"."),
            _ => new(record.Purpose, RecordVisibility.Different, $"DNS has \"{candidates[0]}\"; update it to \"{record.Value}\"."),
        };
    }

    private static Dictionary<string, string> Outputs(TrackedStack? stack)
    {
        if (stack is null || stack.Deleted || string.IsNullOrWhiteSpace(stack.OutputsJson))
        {
            return [];
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(stack.OutputsJson) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>A DNS name as records are compared: lower case, without the root's trailing dot.</summary>
    private static string Fqdn(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();

    [GeneratedRegex(@"Content of DNS Record is: \{Name: (?<name>[^,}\s]+),\s*Type: CNAME,\s*Value: (?<value>[^,}\s]+)\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ValidationPattern();
}
