using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>
/// The served policy's grammar (RFC 8461 section 3.2): LF or CRLF line ends, unknown keys ignored, the first value
/// of a repeated key used, version, mode and max_age required with their exact syntax, mx required unless none.
/// </summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class MtaStsPolicyGrammarCheckTests(HealthFixtureNetwork fixture)
{
    [Theory]
    [InlineData("lf.test")]
    [InlineData("crlf.test")]
    public async Task LF_and_CRLF_line_ends_are_both_valid(string domain)
    {
        var report = await fixture.MailAsync(domain);

        HasExactly(report, Valid(domain));
        Assert.Equal(("enforce", 1209600L), (report.MtaStsMode, report.MaxAge!.Value));
    }

    [Fact]
    public async Task Unknown_keys_are_ignored_without_a_finding()
    {
        var report = await fixture.MailAsync("unknown-keys.test");

        HasExactly(report, Valid("unknown-keys.test"));
    }

    [Fact]
    public async Task The_first_value_of_a_repeated_key_wins_with_a_warning()
    {
        var report = await fixture.MailAsync("first-value.test");

        HasExactly(report, Valid("first-value.test"),
            ("mta-sts.policy-duplicate-field", FindingSeverity.Warning, "Line 3 repeats the 'mode' field; the first value (line 2) is used and this one is ignored."));
        Assert.Equal("enforce", report.MtaStsMode);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public async Task Mode_none_needs_no_mx_and_is_reported_as_a_withdrawal()
    {
        var report = await fixture.MailAsync("none-mode.test");

        HasExactly(report, Valid("none-mode.test", "none"),
            ("mta-sts.mode-none", FindingSeverity.Info, "The policy is in none mode: the domain is withdrawing MTA-STS."));
        Assert.Equal((MtaStsVerdict.ValidPolicy, 0), (report.Verdict!.Value, report.ExitCode));
    }

    [Theory]
    [InlineData("no-version.test", "mta-sts.policy-version-missing", "The policy has no 'version' field; it must contain 'version: STSv1'.")]
    [InlineData("bad-mode.test", "mta-sts.policy-mode-invalid", "The 'mode' field on line 2 is 'Enforce'; it must be 'enforce', 'testing' or 'none' (lower case).")]
    [InlineData("signed-max-age.test", "mta-sts.policy-max-age-invalid", "The 'max_age' field on line 4 is '+1209600'; it must be a whole number of seconds written with 1 to 10 digits.")]
    [InlineData("huge-max-age.test", "mta-sts.policy-max-age-too-large", "The 'max_age' value 31557601 is larger than 31557600, the most RFC 8461 allows (about one year).")]
    [InlineData("no-mx.test", "mta-sts.policy-mx-missing", "The policy has no 'mx' pattern; at least one is required unless the mode is 'none'.")]
    public async Task A_grammar_error_makes_the_policy_invalid(string domain, string id, string message)
    {
        var report = await fixture.MailAsync(domain);

        var finding = Has(report, id, FindingSeverity.Error, message);
        Assert.Single(report.Findings);
        Assert.Equal("RFC 8461 section 3.2", finding.Reference);
        Assert.Equal((MtaStsVerdict.PolicyError, (string?)null), (report.Verdict!.Value, report.MtaStsMode));
    }
}
