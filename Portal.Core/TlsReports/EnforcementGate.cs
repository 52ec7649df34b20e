using System.Globalization;

namespace Portal.Core.TlsReports;

/// <summary>What the gate looks at: the domain's TLS reports and its MX hosts' transport check.</summary>
public sealed record EnforcementEvidence(TlsReportSummary Reports, MxTransportResults Mx);

/// <summary>The gate's settings (<c>TlsReports:Gate*</c>), and whether the portal runs its sandbox, where it only warns.</summary>
public sealed record EnforcementGateSettings(int MinimumReportDays, double MaximumFailurePercent, bool Block, bool Sandbox);

public enum GateOutcome
{
    /// <summary>Every condition holds: safe to enforce.</summary>
    Safe,

    /// <summary>Evidence is missing or bad, but promotion may go ahead (the gate warns, or runs in the sandbox).</summary>
    Warn,

    /// <summary>Evidence is missing or bad and the portal is set to refuse enforce until it is good.</summary>
    Block,
}

/// <summary>One condition of the gate, met or not, worded for the approver.</summary>
public sealed record GateCondition(string Name, bool Met, string Text);

public sealed record GateVerdict(GateOutcome Outcome, IReadOnlyList<GateCondition> Conditions)
{
    public IEnumerable<GateCondition> Unmet => Conditions.Where(c => !c.Met);

    /// <summary>The refusal or warning sentence: every unmet condition.</summary>
    public string Explanation => Outcome == GateOutcome.Safe
        ? "Safe to enforce: " + string.Join(" ", Conditions.Select(c => c.Text))
        : "Not yet safe to enforce: " + string.Join(" ", Unmet.Select(c => c.Text));
}

/// <summary>
/// The rule for switching an MTA-STS policy from <c>testing</c> to <c>enforce</c> (RFC 8461 section 5 asks for testing
/// first, and RFC 8460 reports are how one knows senders succeed): enough days of reports, a failure rate under the
/// threshold, and every MX host passing the transport check. Missing evidence counts as bad evidence.
/// </summary>
public static class EnforcementGate
{
    public static GateVerdict Judge(EnforcementEvidence evidence, EnforcementGateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(settings);
        var reports = evidence.Reports;
        var days = reports.DaysWithSessions;
        var conditions = new List<GateCondition>
        {
            new("report-days", days >= settings.MinimumReportDays, days >= settings.MinimumReportDays
                ? $"TLS reports cover {days} days (at least {settings.MinimumReportDays} needed)."
                : $"TLS reports cover {days} of the {settings.MinimumReportDays} days needed."),
        };

        var rate = reports.Totals.FailureRate * 100;
        var rateText = rate.ToString("0.##", CultureInfo.InvariantCulture);
        var limitText = settings.MaximumFailurePercent.ToString("0.##", CultureInfo.InvariantCulture);
        conditions.Add(reports.Totals.Total == 0
            ? new("failure-rate", false, "No sessions reported yet, so the failure rate is unknown.")
            : new("failure-rate", rate <= settings.MaximumFailurePercent,
                $"{rateText}% of {reports.Totals.Total} reported sessions failed (at most {limitText}% allowed)."));

        var mx = evidence.Mx;
        var failing = mx.Hosts.Where(h => !h.Passed).Select(h => h.Host).ToList();
        conditions.Add(mx.Hosts.Count == 0
            ? new("mx-transport", false, mx.NotChecked is { } why ? $"The MX hosts were not checked: {why}" : "The MX hosts have not been checked yet.")
            : new("mx-transport", failing.Count == 0, failing.Count == 0
                ? $"All {mx.Hosts.Count} MX hosts pass the transport check."
                : $"MX hosts failing the transport check: {string.Join(", ", failing)}."));

        var outcome = conditions.All(c => c.Met) ? GateOutcome.Safe
            : settings.Block && !settings.Sandbox ? GateOutcome.Block
            : GateOutcome.Warn;
        return new GateVerdict(outcome, conditions);
    }
}
