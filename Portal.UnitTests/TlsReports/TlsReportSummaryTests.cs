using System.Text;
using Portal.Core.TlsReports;
using Portal.Tests.TlsReports;

namespace Portal.Tests.TlsReports;

/// <summary>A domain's reports add up by day, by MX, by result type and by sending organisation.</summary>
public class TlsReportSummaryTests
{
    private static TlsReport Read(string json) => TlsReportParser.Parse(Encoding.UTF8.GetBytes(json)).Report!;

    [Fact]
    public void Reports_add_up_by_day_mx_result_type_and_organisation()
    {
        var reports = new[]
        {
            Read(SampleTlsReports.Daily("example.org", new DateOnly(2026, 12, 1), 100, [new("starttls-not-supported", "mx2.example.org", 4)])),
            Read(SampleTlsReports.Daily("example.org", new DateOnly(2026, 12, 2), 200, [new("certificate-host-mismatch", "mx2.example.org", 6), new("starttls-not-supported", "mx1.example.org", 1)])),
            Read(SampleTlsReports.Daily("example.org", new DateOnly(2026, 12, 2), 50, organization: "Microsoft Corporation", reportId: "ms-1")),
        };

        var summary = TlsReportSummary.Of(reports);

        Assert.Equal((3, 350L, 11L), (summary.Reports, summary.Totals.Successful, summary.Totals.Failed));
        Assert.Equal(
            [(new DateOnly(2026, 12, 1), 100L, 4L), (new DateOnly(2026, 12, 2), 250L, 7L)],
            summary.Days.Select(d => (d.Day, d.Sessions.Successful, d.Sessions.Failed)));
        Assert.Equal(
            [("mx1.example.org", 350L, 1L), ("mx2.example.org", 350L, 10L)],
            summary.ByMx.Select(m => (m.Mx, m.Sessions.Successful, m.Sessions.Failed)));
        Assert.Equal(
            [("certificate-host-mismatch", 6L), ("starttls-not-supported", 5L)],
            summary.ByResultType.Select(r => (r.ResultType, r.FailedSessions)));
        Assert.Equal(
            [("Google Inc.", 2, 300L, 11L), ("Microsoft Corporation", 1, 50L, 0L)],
            summary.ByOrganization.Select(o => (o.Organization, o.Reports, o.Sessions.Successful, o.Sessions.Failed)));
        Assert.Equal(2, summary.DaysWithSessions);
    }

    [Fact]
    public void No_reports_add_up_to_nothing_with_no_failure_rate()
    {
        var summary = TlsReportSummary.Of([]);

        Assert.Equal((0, 0L, 0.0, 0), (summary.Reports, summary.Totals.Total, summary.Totals.FailureRate, summary.DaysWithSessions));
    }
}
