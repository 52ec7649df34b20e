using Portal.Core.TlsReports;

namespace Portal.Tests.TlsReports;

/// <summary>
/// The rule for switching MTA-STS to enforce: enough days of reports, a failure rate under the threshold and every MX
/// passing the transport check; otherwise a warning, or a refusal when configured (never in the sandbox).
/// </summary>
public class EnforcementGateTests
{
    private static readonly EnforcementGateSettings Warns = new(MinimumReportDays: 7, MaximumFailurePercent: 1.0, Block: false, Sandbox: false);
    private static readonly EnforcementGateSettings Blocks = Warns with { Block = true };

    private static TlsReportSummary Days(int days, long successfulPerDay, long failedPerDay) => new(
        days,
        new SessionCounts(days * successfulPerDay, days * failedPerDay),
        Enumerable.Range(0, days).Select(d => new DayCounts(new DateOnly(2026, 11, 1).AddDays(d), new SessionCounts(successfulPerDay, failedPerDay))).ToList(),
        [], [], []);

    private static readonly MxTransportResults AllPass = new(DateTimeOffset.UnixEpoch,
        [new("mx1.example.org", true, true, true), new("mx2.example.org", true, true, true)]);

    [Fact]
    public void Good_evidence_is_safe_to_enforce()
    {
        var verdict = EnforcementGate.Judge(new(Days(7, 1000, 5), AllPass), Blocks);

        Assert.Equal(GateOutcome.Safe, verdict.Outcome);
        Assert.All(verdict.Conditions, c => Assert.True(c.Met, c.Text));
    }

    [Fact]
    public void Too_few_days_of_reports_block_when_configured_and_warn_otherwise()
    {
        var evidence = new EnforcementEvidence(Days(3, 1000, 0), AllPass);

        var blocked = EnforcementGate.Judge(evidence, Blocks);
        var warned = EnforcementGate.Judge(evidence, Warns);

        Assert.Equal((GateOutcome.Block, GateOutcome.Warn), (blocked.Outcome, warned.Outcome));
        Assert.Equal("report-days", Assert.Single(blocked.Unmet).Name);
        Assert.Contains("3 of the 7 days", blocked.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_rate_over_the_threshold_is_bad_evidence()
    {
        var verdict = EnforcementGate.Judge(new(Days(10, 98, 2), AllPass), Blocks);

        Assert.Equal(GateOutcome.Block, verdict.Outcome);
        var unmet = Assert.Single(verdict.Unmet);
        Assert.Equal("failure-rate", unmet.Name);
        Assert.Equal("2% of 1000 reported sessions failed (at most 1% allowed).", unmet.Text);
    }

    [Fact]
    public void No_reported_sessions_at_all_is_missing_evidence()
    {
        var verdict = EnforcementGate.Judge(new(TlsReportSummary.Empty, AllPass), Warns with { MinimumReportDays = 0 });

        Assert.Equal("failure-rate", Assert.Single(verdict.Unmet).Name);
        Assert.Equal(GateOutcome.Warn, verdict.Outcome);
    }

    [Fact]
    public void A_failing_or_unchecked_MX_is_bad_evidence()
    {
        var failing = new MxTransportResults(DateTimeOffset.UnixEpoch, [new("mx1.example.org", true, true, true), new("mx2.example.org", false, true, true)]);
        var unchecked_ = MxTransportResults.None("outbound port 25 is blocked here.");

        var onFailing = EnforcementGate.Judge(new(Days(7, 100, 0), failing), Blocks);
        var onUnchecked = EnforcementGate.Judge(new(Days(7, 100, 0), unchecked_), Blocks);

        Assert.Equal("MX hosts failing the transport check: mx2.example.org.", Assert.Single(onFailing.Unmet).Text);
        Assert.Equal("The MX hosts were not checked: outbound port 25 is blocked here.", Assert.Single(onUnchecked.Unmet).Text);
        Assert.Equal((GateOutcome.Block, GateOutcome.Block), (onFailing.Outcome, onUnchecked.Outcome));
    }

    [Fact]
    public void The_sandbox_only_warns_even_when_set_to_block()
    {
        var verdict = EnforcementGate.Judge(new(TlsReportSummary.Empty, MxTransportResults.None("not checked")), Blocks with { Sandbox = true });

        Assert.Equal(GateOutcome.Warn, verdict.Outcome);
        Assert.Equal(3, verdict.Unmet.Count());
    }
}
