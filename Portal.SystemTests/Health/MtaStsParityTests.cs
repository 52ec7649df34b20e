using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>
/// The portal's verdict on every MTA-STS fixture (valid policy, no policy, fetch or policy error) against an
/// independent client, Debian's <c>mta-sts-query</c>, run inside the same private network. Where the two differ by
/// design, the difference is listed with the RFC 8461 text behind the portal's choice, and the test checks that the
/// difference really shows.
/// </summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class MtaStsParityTests(HealthFixtureNetwork fixture)
{
    /// <summary>Domains on which the verdicts differ on purpose: (portal, mta-sts-query, why).</summary>
    private static readonly Dictionary<string, (MtaStsVerdict Portal, MtaStsVerdict Query, string Why)> Differences = new(StringComparer.Ordinal)
    {
        ["json-type.test"] = (MtaStsVerdict.ValidPolicy, MtaStsVerdict.PolicyError,
            "mta-sts-query refuses any media type but text/plain. RFC 8461 section 3.2 makes that check a SHOULD for senders "
            + "(\"When fetching a policy, senders SHOULD validate that the media type is 'text/plain'\"), so the policy still counts; the portal reports the "
            + "media type as an error for the publisher (mta-sts.content-type) because strict senders refuse it."),
        ["bad-id.test"] = (MtaStsVerdict.NoPolicy, MtaStsVerdict.ValidPolicy,
            "mta-sts-query accepts any id. RFC 8461 section 3.1 defines sts-id as 1*32(ALPHA / DIGIT) and says that if the record "
            + "is syntactically invalid, senders MUST assume the domain has no available MTA-STS policy."),
        ["long-id.test"] = (MtaStsVerdict.NoPolicy, MtaStsVerdict.ValidPolicy,
            "mta-sts-query does not check the id's length. RFC 8461 section 3.1: sts-id = 1*32(ALPHA / DIGIT); a record with a "
            + "33-character id is syntactically invalid, so senders MUST assume no policy."),
        ["signed-max-age.test"] = (MtaStsVerdict.PolicyError, MtaStsVerdict.ValidPolicy,
            "mta-sts-query reads max_age with Python's int(), which takes '+1209600'. RFC 8461 section 3.2 defines "
            + "sts-policy-max-age-value = 1*10(DIGIT): no sign, so the policy is invalid."),
    };

    /// <summary>
    /// Domains where both say valid but read the policy differently, or where the portal reports more than the
    /// verdict: what differs and why.
    /// </summary>
    private static readonly Dictionary<string, string> SameVerdictDifferentReading = new(StringComparer.Ordinal)
    {
        ["first-value.test"] = "The policy repeats 'mode' (enforce, then testing): mta-sts-query keeps the last value, the portal the first "
            + "(its RFC 8461 parser's rule for every key but mx) and warns about the repeat (mta-sts.policy-duplicate-field).",
    };

    /// <summary>
    /// Both say valid, as the policy itself is; the portal also checks the domain's MX hosts against it. RFC 8461
    /// section 4.1 (MX Host Validation) has senders deliver only to MX hosts that match an mx pattern, a '*' standing
    /// for exactly one left-most label, so an uncovered host gets no mail in enforce mode; mta-sts-query only fetches
    /// the policy and never reads MX records.
    /// </summary>
    private static readonly string[] MxCoverageOnlyInPortal = ["uncovered-enforce.test", "wildcard.test"];

    [Fact]
    public async Task Every_MTA_STS_fixture_gets_the_same_verdict_from_the_portal_and_mta_sts_query_except_the_named_differences()
    {
        var domains = fixture.MailDomains.Append("unserved.example").ToList();
        var results = new Dictionary<string, (HealthReport Portal, MtaStsQueryResult Query)>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(domains.Select(async domain =>
        {
            await gate.WaitAsync();
            try
            {
                var portal = await fixture.MailAsync(domain);
                var query = await fixture.Network.QueryMtaStsAsync(domain);
                lock (results)
                {
                    results[domain] = (portal, query);
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        var mismatches = new List<string>();
        foreach (var domain in domains)
        {
            var (portal, query) = results[domain];
            var queryVerdict = Verdict(query.Status);
            var expected = Differences.TryGetValue(domain, out var difference)
                ? (difference.Portal, difference.Query)
                : (portal.Verdict!.Value, portal.Verdict!.Value);
            if ((portal.Verdict!.Value, queryVerdict) != expected)
            {
                mismatches.Add($"{domain}: portal {portal.Verdict}, mta-sts-query {query.Status} (expected {expected}); portal findings: "
                    + string.Join("; ", portal.Findings.Select(f => f.Id)) + $"; mta-sts-query log: {query.Log.Trim()}");
                continue;
            }

            // Same verdict on a valid policy: the same policy, unless the reading differs on purpose.
            if (queryVerdict == MtaStsVerdict.ValidPolicy && portal.Verdict == MtaStsVerdict.ValidPolicy && !SameVerdictDifferentReading.ContainsKey(domain))
            {
                if ((portal.PolicyId, portal.MtaStsMode, portal.MaxAge) != (query.PolicyId, query.Mode, query.MaxAge))
                {
                    mismatches.Add($"{domain}: portal read id {portal.PolicyId}, {portal.MtaStsMode}, {portal.MaxAge}; mta-sts-query {query.PolicyId}, {query.Mode}, {query.MaxAge}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.True(domains.Count >= 36, $"Only {domains.Count} fixtures were compared.");

        var firstValue = results["first-value.test"];
        Assert.Equal(("enforce", "testing"), (firstValue.Portal.MtaStsMode, firstValue.Query.Mode));
        foreach (var domain in MxCoverageOnlyInPortal)
        {
            Assert.Equal(MtaStsQueryStatus.Valid, results[domain].Query.Status);
            Assert.Contains(results[domain].Portal.Findings, f => f is { Id: "mta-sts.mx-not-covered", Severity: FindingSeverity.Error });
        }
    }

    private static MtaStsVerdict Verdict(MtaStsQueryStatus status) => status switch
    {
        MtaStsQueryStatus.Valid => MtaStsVerdict.ValidPolicy,
        MtaStsQueryStatus.None => MtaStsVerdict.NoPolicy,
        MtaStsQueryStatus.FetchError => MtaStsVerdict.PolicyError,
        _ => throw new InvalidOperationException($"mta-sts-query answered {status} without a known id."),
    };
}
