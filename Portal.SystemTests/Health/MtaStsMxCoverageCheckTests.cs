using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>
/// Every MX host must match an mx pattern (RFC 8461 section 4.1), a <c>*</c> standing for exactly one left-most
/// label: in enforce mode an uncovered host gets no mail (an error), in testing mode it is reported (a warning).
/// </summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class MtaStsMxCoverageCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task An_uncovered_MX_host_in_enforce_mode_is_an_error()
    {
        var report = await fixture.MailAsync("uncovered-enforce.test");

        var finding = Has(report, "mta-sts.mx-not-covered", FindingSeverity.Error,
            "The MX host backup.elsewhere.test matches no mx pattern, so senders applying the policy will not deliver to it.");
        Assert.Single(report.Findings);
        Assert.Equal("uncovered-enforce.test MX backup.elsewhere.test; patterns: mx1.uncovered-enforce.test", finding.Evidence);

        // The policy itself is valid; the domain's own MX records disagree with it.
        Assert.Equal(MtaStsVerdict.ValidPolicy, report.Verdict);
    }

    [Fact]
    public async Task An_uncovered_MX_host_in_testing_mode_is_a_warning()
    {
        var report = await fixture.MailAsync("uncovered-testing.test");

        HasExactly(report, Valid("uncovered-testing.test", "testing"),
            ("mta-sts.mode-testing", FindingSeverity.Warning, "The policy is in testing mode: senders report TLS failures but still deliver without TLS."),
            ("mta-sts.mx-not-covered", FindingSeverity.Warning,
                "The MX host backup.elsewhere.test matches no mx pattern: senders report it now and will not deliver to it once the mode is enforce."));
    }

    [Fact]
    public async Task A_wildcard_covers_exactly_one_label()
    {
        // MX hosts a.mx.wildcard.test (one label under the pattern), deep.b.mx.wildcard.test (two) and mx.wildcard.test (none).
        var report = await fixture.MailAsync("wildcard.test");

        HasExactly(report,
            ("mta-sts.mx-not-covered", FindingSeverity.Error, "The MX host deep.b.mx.wildcard.test matches no mx pattern, so senders applying the policy will not deliver to it."),
            ("mta-sts.mx-not-covered", FindingSeverity.Error, "The MX host mx.wildcard.test matches no mx pattern, so senders applying the policy will not deliver to it."));
    }
}
