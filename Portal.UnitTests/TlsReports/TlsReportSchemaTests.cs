using System.Text.Json;
using Portal.Infrastructure.TlsReports;
using Portal.Tests.TlsReports;

namespace Portal.Tests.TlsReports;

/// <summary>The portal's JSON schema of RFC 8460 section 4: real senders' reports fit, broken ones are named by place.</summary>
public class TlsReportSchemaTests
{
    private static readonly TlsReportSchema Schema = new();

    [Fact]
    public void The_RFC_example_a_daily_report_and_a_lenient_one_fit()
    {
        foreach (var json in new[]
        {
            SampleTlsReports.RfcExample(),
            SampleTlsReports.Daily("example.org", new DateOnly(2026, 12, 1), 120, [new("starttls-not-supported", "mx2.example.org", 3)]),
            SampleTlsReports.Lenient("example.org"),
        })
        {
            using var document = JsonDocument.Parse(json);
            Assert.Empty(Schema.Validate(document.RootElement));
        }
    }

    [Theory]
    [InlineData("""{"organization-name":"X","date-range":{"start-datetime":"a","end-datetime":"b"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"a.example"},"summary":{}}]}""", "#")]
    [InlineData("""{"organization-name":"X","report-id":"r","date-range":{"start-datetime":"a","end-datetime":"b"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"a.example"},"summary":{"total-failure-session-count":"many"}}]}""", "#/policies/0/summary/total-failure-session-count")]
    [InlineData("""{"organization-name":"X","report-id":"r","date-range":{"start-datetime":"a","end-datetime":"b"},"policies":[{"policy":{"policy-domain":"a.example"},"summary":{}}]}""", "#/policies/0/policy")]
    [InlineData("""{"organization-name":"X","report-id":"r","date-range":{"start-datetime":"a","end-datetime":"b"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"a.example"},"summary":{},"failure-details":[{"failed-session-count":1}]}]}""", "#/policies/0/failure-details/0")]
    public void A_broken_report_is_refused_naming_the_place(string json, string place)
    {
        using var document = JsonDocument.Parse(json);

        var problems = Schema.Validate(document.RootElement);

        Assert.Contains(problems, p => p.StartsWith(place + ":", StringComparison.Ordinal));
    }
}
