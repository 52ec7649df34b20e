using Portal.Core.Health;
using Portal.Infrastructure.Health;

namespace Portal.Tests.Health;

/// <summary>Assertions on exact findings: id, severity and message, each compared whole.</summary>
internal static class FindingAssertions
{
    /// <summary>The report has exactly these findings, in this order.</summary>
    public static void HasExactly(HealthReport report, params (string Id, FindingSeverity Severity, string Message)[] expected)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.Equal(expected, report.Findings.Select(f => (f.Id, f.Severity, f.Message)).ToArray());
    }

    /// <summary>The one finding with this id has this severity and message.</summary>
    public static Finding Has(HealthReport report, string id, FindingSeverity severity, string message)
    {
        ArgumentNullException.ThrowIfNull(report);
        var finding = Assert.Single(report.Findings, f => f.Id == id);
        Assert.Equal((id, severity, message), (finding.Id, finding.Severity, finding.Message));
        return finding;
    }

    public static void Lacks(HealthReport report, string id)
    {
        ArgumentNullException.ThrowIfNull(report);
        Assert.DoesNotContain(report.Findings, f => f.Id == id);
    }

    public static (string, FindingSeverity, string) Valid(string domain, string mode = "enforce") =>
        ("mta-sts.valid", FindingSeverity.Pass, $"{domain} publishes a valid MTA-STS policy in {mode} mode.");
}
