using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>Valid policies that still deserve a look: testing mode, a short max_age, a broad pattern, testing without TLS-RPT.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class MtaStsWarningCheckTests(HealthFixtureNetwork fixture)
{
    private const string Testing = "The policy is in testing mode: senders report TLS failures but still deliver without TLS.";

    [Fact]
    public async Task Testing_mode_is_a_warning()
    {
        var report = await fixture.MailAsync("testing.test");

        HasExactly(report, Valid("testing.test", "testing"), ("mta-sts.mode-testing", FindingSeverity.Warning, Testing));
        Assert.Equal((MtaStsVerdict.ValidPolicy, 1), (report.Verdict!.Value, report.ExitCode));
    }

    [Fact]
    public async Task A_max_age_under_a_week_is_a_warning()
    {
        var report = await fixture.MailAsync("short-max-age.test");

        HasExactly(report, Valid("short-max-age.test"), ("mta-sts.max-age-short", FindingSeverity.Warning,
            "max_age is 86400 seconds, less than one week; RFC 8461 expects weeks or more, so a cached policy outlasts an attack or outage at refresh time."));
    }

    [Fact]
    public async Task A_pattern_over_a_whole_top_level_domain_is_a_warning_reported_once()
    {
        var report = await fixture.MailAsync("broad.test");

        HasExactly(report, Valid("broad.test"), ("mta-sts.mx-broad", FindingSeverity.Warning,
            "The mx pattern '*.test' matches any host under test, well beyond this domain's mail servers."));
    }

    [Fact]
    public async Task Testing_without_a_TLS_RPT_record_is_a_warning()
    {
        var report = await fixture.MailAsync("testing-no-tlsrpt.test");

        HasExactly(report, Valid("testing-no-tlsrpt.test", "testing"), ("mta-sts.mode-testing", FindingSeverity.Warning, Testing),
            ("tlsrpt.missing-while-testing", FindingSeverity.Warning,
                "The policy is in testing mode but _smtp._tls.testing-no-tlsrpt.test has no TLS-RPT record, so nobody receives the failure reports testing is for."));
    }
}
