using System.Text;
using Portal.Core.TlsReports;
using Portal.Tests.TlsReports;

namespace Portal.Tests.TlsReports;

/// <summary>RFC 8460 section 4: a report is read with its counts and failure details, tolerating what real senders do.</summary>
public class TlsReportParsingTests
{
    [Fact]
    public void The_RFC_example_reads_with_its_counts_and_failure_details()
    {
        var parsed = TlsReportParser.Parse(Encoding.UTF8.GetBytes(SampleTlsReports.RfcExample()));

        Assert.True(parsed.Succeeded, string.Join(" ", parsed.Errors));
        var report = parsed.Report!;
        Assert.Equal(("Company-X", "5065427c-23d3-47ca-b6e0-946ea0e8c4be"), (report.OrganizationName, report.ReportId));
        Assert.Equal(new DateTimeOffset(2016, 4, 1, 0, 0, 0, TimeSpan.Zero), report.StartDate);
        Assert.Equal((5326L, 303L), (report.SuccessfulSessions, report.FailedSessions));
        var policy = Assert.Single(report.Policies);
        Assert.Equal(("sts", "company-y.example"), (policy.PolicyType, policy.PolicyDomain));
        Assert.Equal(["*.mail.company-y.example"], policy.MxHosts);
        Assert.Equal(["certificate-expired", "starttls-not-supported", "validation-failure"], policy.FailureDetails.Select(f => f.ResultType));
        Assert.Equal("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", policy.FailureDetails[2].FailureReasonCode);
    }

    [Fact]
    public void Counts_as_strings_one_mx_host_string_and_missing_optional_fields_are_accepted()
    {
        var parsed = TlsReportParser.Parse(Encoding.UTF8.GetBytes(SampleTlsReports.Lenient("example.org")));

        Assert.True(parsed.Succeeded, string.Join(" ", parsed.Errors));
        var policy = Assert.Single(parsed.Report!.Policies);
        Assert.Equal((40L, 2L), (policy.SuccessfulSessions, policy.FailedSessions));
        Assert.Equal(["mx1.example.org"], policy.MxHosts);
        Assert.Null(parsed.Report.ContactInfo);

        // The receiving MX is compared as DNS does: case and the root's dot do not matter.
        Assert.Equal("mx1.example.org", Assert.Single(policy.FailureDetails).ReceivingMxHostname);
    }

    [Theory]
    [InlineData("""{"organization-name":"X","date-range":{"start-datetime":"2026-01-01T00:00:00Z","end-datetime":"2026-01-01T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"a.example"},"summary":{}}]}""", "report-id is missing.")]
    [InlineData("""{"organization-name":"X","report-id":"r","date-range":{"start-datetime":"yesterday","end-datetime":"2026-01-01T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"a.example"},"summary":{}}]}""", "date-range.start-datetime is missing or not an RFC 3339 date-time.")]
    [InlineData("""{"organization-name":"X","report-id":"r","date-range":{"start-datetime":"2026-01-01T00:00:00Z","end-datetime":"2026-01-01T23:59:59Z"},"policies":[]}""", "policies is missing or empty.")]
    [InlineData("""{"organization-name":"X","report-id":"r","date-range":{"start-datetime":"2026-01-01T00:00:00Z","end-datetime":"2026-01-01T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"a.example"},"summary":{"total-successful-session-count":-4}}]}""", "policies[0].summary.total-successful-session-count is not a non-negative whole number.")]
    [InlineData("""[1, 2]""", "The report must be a JSON object (RFC 8460 section 4.4).")]
    public void A_report_missing_what_gives_it_meaning_is_refused_with_the_reason(string json, string reason)
    {
        var parsed = TlsReportParser.Parse(Encoding.UTF8.GetBytes(json));

        Assert.False(parsed.Succeeded);
        Assert.Contains(reason, parsed.Errors);
    }

    [Fact]
    public void Text_that_is_not_JSON_is_refused_as_such()
    {
        var parsed = TlsReportParser.Parse("organization-name: X"u8);

        Assert.StartsWith("The report is not JSON", Assert.Single(parsed.Errors), StringComparison.Ordinal);
    }
}
