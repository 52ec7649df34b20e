using Microsoft.Extensions.Options;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Health;
using Portal.Core.Networking;

namespace Portal.Infrastructure.Health;

/// <summary>
/// Checks a mail domain's MTA-STS (RFC 8461) and TLS reporting (RFC 8460) the way a sending server sees them, and says
/// what is wrong with the evidence. Severity follows the RFC: anything that makes senders treat the domain as having
/// no policy is an error.
/// </summary>
public sealed class MtaStsChecker(
    DnsQueries dns, TlsProbe tls, HttpFetcher http, OutboundAddressPolicy policy, IOptions<HealthOptions> options, TimeProvider clock, MxTransportChecker mxTransport)
{
    /// <summary>The finding of a policy fetch the outbound address policy stopped.</summary>
    public const string AddressRefusedId = "mta-sts.address-refused";

    private const string Rfc8461 = "RFC 8461";

    /// <summary>Below one week a max_age earns a warning: RFC 8461 section 3.2 expects "weeks or greater".</summary>
    public const long ShortMaxAge = 604_800;

    /// <summary>Policy warnings the checker words itself (with the mail domain in view), so each is reported once.</summary>
    private static readonly string[] WarningsJudgedHere = ["mode-testing", "max-age-short", "mx-broad"];

    public async Task<HealthReport> CheckAsync(string domain, HealthReport? previous, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var started = clock.GetUtcNow();
        var findings = new List<Finding>();
        var report = new Builder();

        // The DNS questions do not depend on each other: ask them all at once.
        var recordAnswer = dns.TxtAsync("_mta-sts." + domain, ct);
        var hostAddresses = dns.AddressesAsync(ServedNames.MtaStsPolicyHost(domain), ct);
        var mxAnswer = dns.MxAsync(domain, ct);
        var tlsRptAnswer = dns.TxtAsync("_smtp._tls." + domain, ct);
        var record = CheckRecord(domain, await recordAnswer, findings);
        if (findings.Any(f => f.Id == "mta-sts.dns-failed"))
        {
            // Without DNS nothing else can be judged; going on would only add timeouts.
            await Task.WhenAll(hostAddresses, mxAnswer, tlsRptAnswer);
            return new HealthReport(domain, HealthCheckKind.Mail, started, clock.GetUtcNow() - started, findings) { Verdict = MtaStsVerdict.PolicyError };
        }

        // Without a usable record senders never fetch the policy (RFC 8461 section 3.1); it is still shown when its
        // host exists, so a publisher fixing the record sees what senders will get next.
        var policy = await FetchPolicyAsync(domain, await hostAddresses, record is not null, findings, report, ct);
        if (policy is not null)
        {
            CheckPolicy(domain, policy, await mxAnswer, findings);
            report.Mode = MtaStsPublication.ModeText(policy.Mode);
            report.MaxAge = policy.MaxAge;
        }

        report.PolicyId = record?.Id;
        if (record is not null && report.PolicyHash is not null && previous is { PolicyId: not null, PolicyHash: not null }
            && previous.PolicyId == record.Id && previous.PolicyHash != report.PolicyHash)
        {
            findings.Add(new("mta-sts.id-unchanged", FindingSeverity.Error,
                $"The served policy changed but the _mta-sts id is still '{record.Id}': senders that cached the old policy will not fetch the new one.",
                $"previous body hash {previous.PolicyHash[..12]}, now {report.PolicyHash[..12]}", "RFC 8461 section 3.1"));
        }

        var tlsRpt = CheckTlsRpt(domain, policy, await tlsRptAnswer, findings);
        var mx = await mxAnswer;

        var verdict = record is null ? MtaStsVerdict.NoPolicy
            : policy is null || report.FetchFailed ? MtaStsVerdict.PolicyError
            : MtaStsVerdict.ValidPolicy;
        if (verdict == MtaStsVerdict.ValidPolicy && findings.All(f => f.Severity < FindingSeverity.Error))
        {
            findings.Insert(0, new("mta-sts.valid", FindingSeverity.Pass, $"{domain} publishes a valid MTA-STS policy in {report.Mode} mode."));
        }

        // The MX hosts themselves, as senders reach them; judged after the verdict, which is about the policy alone.
        IReadOnlyList<MxTransportResult> mxHosts = [];
        if (options.Value.CheckMxTransport && mx.Outcome == DnsOutcome.Found)
        {
            mxHosts = await mxTransport.CheckAsync(mx.Records, policy, ct);
            findings.AddRange(MxTransportGrading.Grade(mxHosts, policy?.Mode, options.Value.SmtpPort, clock.GetUtcNow(), options.Value.CertificateWarningDays));
        }

        return new HealthReport(domain, HealthCheckKind.Mail, started, clock.GetUtcNow() - started, findings)
        {
            Verdict = verdict,
            MtaStsMode = report.Mode,
            MaxAge = report.MaxAge,
            PolicyId = report.PolicyId,
            PolicyHash = report.PolicyHash,
            CertificateExpires = report.CertificateExpires,
            AddressRefused = report.AddressRefused,
            MxHosts = mxHosts,
            Policy = report.FetchFailed ? null : policy,
            TlsRptRua = tlsRpt?.Rua ?? [],
        };
    }

    private static MtaStsTxtRecord? CheckRecord(string domain, DnsAnswer<string> answer, List<Finding> findings)
    {
        var name = "_mta-sts." + domain;
        var evidence = Evidence(answer.CnameChain, answer.Records.Select(r => $"{name} TXT \"{r}\""));
        if (answer.Outcome == DnsOutcome.Failed)
        {
            findings.Add(new("mta-sts.dns-failed", FindingSeverity.Error, $"The _mta-sts record could not be looked up: {answer.Problem}", evidence, $"{Rfc8461} section 3.1"));
            return null;
        }

        // Records that do not begin with v=STSv1 are discarded; exactly one must remain (RFC 8461 section 3.1).
        var sts = answer.Records.Where(r => r.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
        if (sts.Count == 0)
        {
            findings.Add(new("mta-sts.record-missing", FindingSeverity.Error, $"There is no v=STSv1 TXT record at {name}, so senders see no policy.", evidence ?? answer.Problem, $"{Rfc8461} section 3.1"));
            return null;
        }

        if (sts.Count > 1)
        {
            findings.Add(new("mta-sts.record-multiple", FindingSeverity.Error, $"{name} has {sts.Count} v=STSv1 records; with more than one, senders treat the domain as having no policy.", evidence, $"{Rfc8461} section 3.1"));
            return null;
        }

        var parsed = MtaStsTxtRecord.Parse(sts[0]);
        findings.AddRange(parsed.Errors.Select(e => new Finding("mta-sts.record-" + e.Id, FindingSeverity.Error, e.Message, evidence, e.Section)));
        findings.AddRange(parsed.Warnings.Select(e => new Finding("mta-sts.record-" + e.Id, FindingSeverity.Warning, e.Message, evidence, e.Section)));
        return parsed.Value;
    }

    private async Task<MtaStsPolicy?> FetchPolicyAsync(string domain, IReadOnlyList<System.Net.IPAddress> addresses, bool announced, List<Finding> findings, Builder report, CancellationToken ct)
    {
        var host = ServedNames.MtaStsPolicyHost(domain);
        var url = new Uri($"https://{host}{(options.Value.HttpsPort == 443 ? "" : ":" + options.Value.HttpsPort)}/.well-known/mta-sts.txt");
        if (addresses.Count == 0)
        {
            if (!announced)
            {
                return null;
            }

            findings.Add(new("mta-sts.host-missing", FindingSeverity.Error, $"{host} has no A or AAAA record, so the policy cannot be fetched.", null, $"{Rfc8461} section 3.3"));
            return null;
        }

        // Judged here for a clear report; the connector judges again on the address the connection really goes to.
        var decisions = addresses.Select(policy.Check).ToList();
        var allowed = decisions.FirstOrDefault(d => d.Allowed);
        if (allowed is null)
        {
            report.AddressRefused = true;
            findings.Add(new(AddressRefusedId, FindingSeverity.Error, decisions[0].Refusal(host),
                string.Join("\n", decisions.Select(d => $"{host} {d.Address}: {OutboundAddressPolicy.Describe(d.Kind)}, refused")) + "\n" + OutboundDecision.Remedy));
            return null;
        }

        // One connection, as a sender makes: the policy comes over the very TLS session whose certificate is judged.
        await using var session = await tls.OpenAsync(allowed.Address, options.Value.HttpsPort, host, options.Value.Timeout, ct, [System.Net.Security.SslApplicationProtocol.Http11]);
        var handshake = session.Observation;
        if (handshake.Refusal is not null)
        {
            findings.Add(new(AddressRefusedId, FindingSeverity.Error, handshake.Refusal, OutboundDecision.Remedy));
            return null;
        }

        if (!handshake.Connected || session.Stream is null)
        {
            findings.Add(new("mta-sts.tls-failed", FindingSeverity.Error, $"No TLS connection to {host}.", handshake.Error, $"{Rfc8461} section 3.3"));
            return null;
        }

        report.CertificateExpires = handshake.Certificate?.NotAfter;
        report.FetchFailed |= handshake.CertificateProblems.Count > 0;
        foreach (var problem in handshake.CertificateProblems)
        {
            findings.Add(new("mta-sts.certificate-invalid", FindingSeverity.Error, $"{host}: {problem} Senders refuse a policy served with an invalid certificate.",
                handshake.Certificate is { } c ? $"subject {c.Subject}; issuer {c.Issuer}; names {string.Join(", ", c.DnsNames)}; valid {c.NotBefore:yyyy-MM-dd} to {c.NotAfter:yyyy-MM-dd}" : null,
                $"{Rfc8461} section 3.3"));
        }

        var response = await http.GetOverAsync(session.Stream, url, MtaStsPolicyParser.MaxPolicyBytes, ct);
        if (response.Error is not null)
        {
            findings.Add(new("mta-sts.fetch-failed", FindingSeverity.Error, $"The policy could not be fetched from {url}.", response.Error, $"{Rfc8461} section 3.3"));
            return null;
        }

        var status = (int)response.Status!.Value;
        if (status is >= 300 and < 400)
        {
            findings.Add(new("mta-sts.redirect", FindingSeverity.Error, $"{url} answers {status} with a redirect; senders must not follow redirects for the policy.", $"Location: {response.Location}", $"{Rfc8461} section 3.3"));
            return null;
        }

        if (status != 200)
        {
            findings.Add(new("mta-sts.status", FindingSeverity.Error, $"{url} answers {status}; only 200 gives a policy.", $"HTTP {status}", $"{Rfc8461} section 3.3"));
            return null;
        }

        if (response.BodyTruncated)
        {
            findings.Add(new("mta-sts.too-large", FindingSeverity.Error, $"The policy is larger than {MtaStsPolicyParser.MaxPolicyBytes / 1024} KiB.", null, $"{Rfc8461} section 3.3"));
            return null;
        }

        var mediaType = response.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase))
        {
            // A SHOULD for senders, so the policy itself still counts; but senders that check (postfix-mta-sts-resolver
            // among them) refuse it, which is why this is an error for the publisher.
            findings.Add(new("mta-sts.content-type", FindingSeverity.Error,
                $"The policy is served as '{response.ContentType ?? "(no Content-Type)"}'; it must be text/plain, and senders that check the media type, as they SHOULD, refuse it.",
                $"Content-Type: {response.ContentType ?? "(none)"}", $"{Rfc8461} section 3.2"));
        }

        report.PolicyHash = Convert.ToHexStringLower(SHA256.HashData(response.Body));
        var parsed = MtaStsPolicyParser.Parse(response.BodyText);
        var excerpt = response.BodyText.Length > 400 ? response.BodyText[..400] + "..." : response.BodyText;
        findings.AddRange(parsed.Errors.Select(e => new Finding("mta-sts.policy-" + e.Id, FindingSeverity.Error, e.Message, excerpt, e.Section)));
        findings.AddRange(parsed.Warnings.Where(e => !WarningsJudgedHere.Contains(e.Id))
            .Select(e => new Finding("mta-sts.policy-" + e.Id, FindingSeverity.Warning, e.Message, excerpt, e.Section)));
        return parsed.Value;
    }

    private static void CheckPolicy(string domain, MtaStsPolicy policy, DnsAnswer<string> mx, List<Finding> findings)
    {
        if (policy.Mode == MtaStsMode.Testing)
        {
            findings.Add(new("mta-sts.mode-testing", FindingSeverity.Warning, "The policy is in testing mode: senders report TLS failures but still deliver without TLS.", null, $"{Rfc8461} section 5"));
        }
        else if (policy.Mode == MtaStsMode.None)
        {
            findings.Add(new("mta-sts.mode-none", FindingSeverity.Info, "The policy is in none mode: the domain is withdrawing MTA-STS.", null, $"{Rfc8461} section 5"));
            return;
        }

        if (policy.MaxAge < ShortMaxAge)
        {
            findings.Add(new("mta-sts.max-age-short", FindingSeverity.Warning,
                $"max_age is {policy.MaxAge} seconds, less than one week; RFC 8461 expects weeks or more, so a cached policy outlasts an attack or outage at refresh time.", null, $"{Rfc8461} section 3.2"));
        }

        foreach (var pattern in policy.Mx.Where(p => IsBroad(p, domain)))
        {
            findings.Add(new("mta-sts.mx-broad", FindingSeverity.Warning, $"The mx pattern '{pattern}' matches any host under {pattern[2..]}, well beyond this domain's mail servers.", null, $"{Rfc8461} section 4.1"));
        }

        if (mx.Outcome != DnsOutcome.Found)
        {
            findings.Add(new("mta-sts.mx-none", FindingSeverity.Warning, $"{domain} has no MX records to check against the policy.", mx.Problem, $"{Rfc8461} section 4.1"));
            return;
        }

        foreach (var host in mx.Records.Where(h => !policy.Matches(h)))
        {
            findings.Add(new("mta-sts.mx-not-covered", policy.Mode == MtaStsMode.Enforce ? FindingSeverity.Error : FindingSeverity.Warning,
                policy.Mode == MtaStsMode.Enforce
                    ? $"The MX host {host} matches no mx pattern, so senders applying the policy will not deliver to it."
                    : $"The MX host {host} matches no mx pattern: senders report it now and will not deliver to it once the mode is enforce.",
                $"{domain} MX {host}; patterns: {string.Join(", ", policy.Mx)}", $"{Rfc8461} section 4.1"));
        }
    }

    private static TlsRptRecord? CheckTlsRpt(string domain, MtaStsPolicy? policy, DnsAnswer<string> answer, List<Finding> findings)
    {
        var name = "_smtp._tls." + domain;
        var reports = answer.Records.Where(r => r.StartsWith("v=TLSRPTv1", StringComparison.Ordinal)).ToList();
        var evidence = Evidence(answer.CnameChain, answer.Records.Select(r => $"{name} TXT \"{r}\""));
        if (reports.Count == 0)
        {
            if (policy?.Mode == MtaStsMode.Testing)
            {
                findings.Add(new("tlsrpt.missing-while-testing", FindingSeverity.Warning,
                    $"The policy is in testing mode but {name} has no TLS-RPT record, so nobody receives the failure reports testing is for.", null, "RFC 8460 section 3"));
            }
            else
            {
                findings.Add(new("tlsrpt.missing", FindingSeverity.Info, $"{name} has no TLS-RPT record.", null, "RFC 8460 section 3"));
            }

            return null;
        }

        if (reports.Count > 1)
        {
            findings.Add(new("tlsrpt.multiple", FindingSeverity.Error, $"{name} has {reports.Count} v=TLSRPTv1 records; reporters ignore them all.", evidence, "RFC 8460 section 3"));
            return null;
        }

        var parsed = TlsRptRecord.Parse(reports[0]);
        findings.AddRange(parsed.Errors.Select(e => new Finding("tlsrpt." + e.Id, FindingSeverity.Error, e.Message, evidence, e.Section)));
        findings.AddRange(parsed.Warnings.Select(e => new Finding("tlsrpt." + e.Id, FindingSeverity.Warning, e.Message, evidence, e.Section)));
        return parsed.Value;
    }

    /// <summary>
    /// A wildcard over a top-level domain (<c>*.com</c>) or over a bare registrable name that is not the mail domain
    /// (<c>*.outlook.com</c>) covers other organisations' hosts.
    /// </summary>
    private static bool IsBroad(string pattern, string domain)
    {
        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        if (MtaStsMxPattern.IsBroad(pattern))
        {
            return true;
        }

        var baseName = pattern[2..];
        return baseName.Count(c => c == '.') <= 1 && !string.Equals(baseName, domain, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Evidence(IReadOnlyList<string> cnames, IEnumerable<string> records)
    {
        var lines = cnames.Concat(records).ToList();
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    private sealed class Builder
    {
        public string? Mode { get; set; }

        public long? MaxAge { get; set; }

        public string? PolicyId { get; set; }

        public string? PolicyHash { get; set; }

        public DateTimeOffset? CertificateExpires { get; set; }

        /// <summary>The policy host's certificate was invalid: senders discard whatever it served.</summary>
        public bool FetchFailed { get; set; }

        /// <summary>The outbound address policy refused every address of the policy host.</summary>
        public bool AddressRefused { get; set; }
    }
}
