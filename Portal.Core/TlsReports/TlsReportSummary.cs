namespace Portal.Core.TlsReports;

public sealed record SessionCounts(long Successful, long Failed)
{
    public long Total => Successful + Failed;

    /// <summary>Share of failed sessions, 0 when there were none at all.</summary>
    public double FailureRate => Total == 0 ? 0 : (double)Failed / Total;

    public SessionCounts Add(long successful, long failed) => new(Successful + successful, Failed + failed);
}

public sealed record DayCounts(DateOnly Day, SessionCounts Sessions);

/// <summary>An MX name with the sessions reports count for it: successes of the policies naming it, failures naming it as receiving MX.</summary>
public sealed record MxCounts(string Mx, SessionCounts Sessions);

public sealed record ResultTypeCount(string ResultType, long FailedSessions);

public sealed record OrganizationCounts(string Organization, int Reports, SessionCounts Sessions);

/// <summary>What a mail domain's reports add up to, for its report page and the enforce gate.</summary>
public sealed record TlsReportSummary(
    int Reports,
    SessionCounts Totals,
    IReadOnlyList<DayCounts> Days,
    IReadOnlyList<MxCounts> ByMx,
    IReadOnlyList<ResultTypeCount> ByResultType,
    IReadOnlyList<OrganizationCounts> ByOrganization)
{
    /// <summary>Days with at least one reported session.</summary>
    public int DaysWithSessions => Days.Count(d => d.Sessions.Total > 0);

    public static TlsReportSummary Empty { get; } = new(0, new(0, 0), [], [], [], []);

    /// <summary>
    /// Adds reports up. A report's sessions count on the day its period starts (senders report one UTC day each).
    /// Successes are counted for an MX when the policy lists it among its <c>mx-host</c> entries (one success counts
    /// for each MX when a policy lists several, since reports do not say which took the session); failures are
    /// counted for their <c>receiving-mx-hostname</c>, else for <c>(unknown MX)</c>.
    /// </summary>
    public static TlsReportSummary Of(IEnumerable<TlsReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var list = reports.ToList();
        var days = new SortedDictionary<DateOnly, SessionCounts>();
        var mx = new SortedDictionary<string, SessionCounts>(StringComparer.Ordinal);
        var results = new Dictionary<string, long>(StringComparer.Ordinal);
        var organizations = new SortedDictionary<string, (int Reports, SessionCounts Sessions)>(StringComparer.OrdinalIgnoreCase);
        var totals = new SessionCounts(0, 0);
        foreach (var report in list)
        {
            var day = DateOnly.FromDateTime(report.StartDate.UtcDateTime);
            days[day] = (days.TryGetValue(day, out var d) ? d : new(0, 0)).Add(report.SuccessfulSessions, report.FailedSessions);
            totals = totals.Add(report.SuccessfulSessions, report.FailedSessions);
            var org = organizations.TryGetValue(report.OrganizationName, out var o) ? o : (Reports: 0, Sessions: new SessionCounts(0, 0));
            organizations[report.OrganizationName] = (org.Reports + 1, org.Sessions.Add(report.SuccessfulSessions, report.FailedSessions));
            foreach (var policy in report.Policies)
            {
                foreach (var host in policy.MxHosts.Distinct(StringComparer.Ordinal))
                {
                    mx[host] = (mx.TryGetValue(host, out var m) ? m : new(0, 0)).Add(policy.SuccessfulSessions, 0);
                }

                foreach (var failure in policy.FailureDetails)
                {
                    var host = string.IsNullOrEmpty(failure.ReceivingMxHostname) ? "(unknown MX)" : failure.ReceivingMxHostname;
                    mx[host] = (mx.TryGetValue(host, out var m) ? m : new(0, 0)).Add(0, failure.FailedSessions);
                    results[failure.ResultType] = (results.TryGetValue(failure.ResultType, out var r) ? r : 0) + failure.FailedSessions;
                }
            }
        }

        return new TlsReportSummary(
            list.Count,
            totals,
            days.Select(p => new DayCounts(p.Key, p.Value)).ToList(),
            mx.Select(p => new MxCounts(p.Key, p.Value)).ToList(),
            results.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => new ResultTypeCount(p.Key, p.Value)).ToList(),
            organizations.Select(p => new OrganizationCounts(p.Key, p.Value.Reports, p.Value.Sessions)).ToList());
    }
}
