using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>
/// The <c>_mta-sts</c> TXT record (RFC 8461 section 3.1): exactly one record starting with <c>v=STSv1</c> after the
/// others are discarded, its strings joined, a CNAME followed, an id of 1 to 32 letters or digits.
/// </summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class MtaStsRecordCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task One_record_with_a_valid_id_gives_a_valid_policy()
    {
        var report = await fixture.MailAsync("valid.test");

        HasExactly(report, Valid("valid.test"));
        Assert.Equal((MtaStsVerdict.ValidPolicy, "20260101T000000", "enforce", 1209600L), (report.Verdict!.Value, report.PolicyId, report.MtaStsMode, report.MaxAge!.Value));
        Assert.Equal(0, report.ExitCode);
    }

    [Fact]
    public async Task Records_not_starting_with_v_STSv1_are_discarded()
    {
        var report = await fixture.MailAsync("among-others.test");

        HasExactly(report, Valid("among-others.test"));
        Assert.Equal("20260101T000000", report.PolicyId);
    }

    [Fact]
    public async Task The_strings_of_a_multi_string_record_are_joined_without_spaces()
    {
        var report = await fixture.MailAsync("multi-string.test");

        HasExactly(report, Valid("multi-string.test"));
        Assert.Equal("20240501T1200", report.PolicyId);
    }

    [Fact]
    public async Task A_CNAME_at_the_record_name_is_followed()
    {
        var report = await fixture.MailAsync("cname.test");

        HasExactly(report, Valid("cname.test"));
        Assert.Equal(("viacname1", MtaStsVerdict.ValidPolicy), (report.PolicyId, report.Verdict!.Value));
    }

    [Fact]
    public async Task Two_v_STSv1_records_mean_no_policy()
    {
        var report = await fixture.MailAsync("two-records.test");

        var finding = Has(report, "mta-sts.record-multiple", FindingSeverity.Error,
            "_mta-sts.two-records.test has 2 v=STSv1 records; with more than one, senders treat the domain as having no policy.");
        Assert.Equal(MtaStsVerdict.NoPolicy, report.Verdict);
        Assert.Contains("TXT \"v=STSv1; id=first1;\"", finding.Evidence, StringComparison.Ordinal);
        Assert.Contains("TXT \"v=STSv1; id=second2;\"", finding.Evidence, StringComparison.Ordinal);
        Assert.Equal("RFC 8461 section 3.1", finding.Reference);
        Assert.Equal(2, report.ExitCode);
    }

    [Theory]
    [InlineData("bad-id.test", "2026-01-01")]
    [InlineData("long-id.test", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_id_other_than_1_to_32_letters_or_digits_makes_the_record_invalid(string domain, string id)
    {
        var report = await fixture.MailAsync(domain);

        HasExactly(report, ("mta-sts.record-id-invalid", FindingSeverity.Error, $"The _mta-sts record's id '{id}' must be 1 to 32 ASCII letters or digits."));
        Assert.Equal(MtaStsVerdict.NoPolicy, report.Verdict);
    }

    [Fact]
    public async Task No_record_means_no_policy_and_nothing_else_is_fetched()
    {
        var report = await fixture.MailAsync("no-record.test");

        HasExactly(report, ("mta-sts.record-missing", FindingSeverity.Error, "There is no v=STSv1 TXT record at _mta-sts.no-record.test, so senders see no policy."));
        Assert.Equal(MtaStsVerdict.NoPolicy, report.Verdict);
    }

    [Fact]
    public async Task A_DNS_failure_stops_the_check_with_the_resolver_answer()
    {
        // The fixture DNS answers REFUSED for names outside its zone, as a broken resolver would.
        var report = await fixture.MailAsync("unserved.example");

        HasExactly(report, ("mta-sts.dns-failed", FindingSeverity.Error, "The _mta-sts record could not be looked up: DNS answered Refused for TXT _mta-sts.unserved.example."));
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);
    }
}
