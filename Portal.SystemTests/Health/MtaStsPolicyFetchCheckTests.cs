using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>
/// Fetching <c>/.well-known/mta-sts.txt</c> (RFC 8461 section 3.3): exactly 200, no redirect followed, at most 64 KiB,
/// within the time limit; and the media type <c>text/plain</c> (section 3.2).
/// </summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class MtaStsPolicyFetchCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task A_redirect_is_reported_and_not_followed()
    {
        var report = await fixture.MailAsync("redirect.test");

        var finding = Has(report, "mta-sts.redirect", FindingSeverity.Error,
            "https://mta-sts.redirect.test/.well-known/mta-sts.txt answers 301 with a redirect; senders must not follow redirects for the policy.");
        Assert.Single(report.Findings);
        Assert.Equal("Location: https://mta-sts.redirect.test" + HealthFixtureNetwork.MovedPolicyPath, finding.Evidence);
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);

        // The redirect target serves a valid policy: had the check followed it, the verdict would be valid.
        Assert.Contains("GET /.well-known/mta-sts.txt", fixture.Network.WebAccessLog, StringComparison.Ordinal);
        Assert.DoesNotContain("GET " + HealthFixtureNetwork.MovedPolicyPath, fixture.Network.WebAccessLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_status_but_200_is_an_error()
    {
        var report = await fixture.MailAsync("not-found.test");

        HasExactly(report, ("mta-sts.status", FindingSeverity.Error, "https://mta-sts.not-found.test/.well-known/mta-sts.txt answers 404; only 200 gives a policy."));
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);
    }

    [Fact]
    public async Task A_media_type_other_than_text_plain_is_an_error_but_the_policy_still_counts()
    {
        var report = await fixture.MailAsync("json-type.test");

        var finding = Has(report, "mta-sts.content-type", FindingSeverity.Error,
            "The policy is served as 'application/json'; it must be text/plain, and senders that check the media type, as they SHOULD, refuse it.");
        Assert.Single(report.Findings);
        Assert.Equal(("Content-Type: application/json", "RFC 8461 section 3.2"), (finding.Evidence, finding.Reference));
        Assert.Equal((MtaStsVerdict.ValidPolicy, "enforce"), (report.Verdict!.Value, report.MtaStsMode));
    }

    [Fact]
    public async Task A_policy_over_64_KiB_is_an_error()
    {
        var report = await fixture.MailAsync("too-large.test");

        HasExactly(report, ("mta-sts.too-large", FindingSeverity.Error, "The policy is larger than 64 KiB."));
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);
    }

    [Fact]
    public async Task A_server_that_trickles_the_body_is_cut_off_at_the_timeout()
    {
        var report = await fixture.MailAsync("slow.test");

        var finding = Has(report, "mta-sts.fetch-failed", FindingSeverity.Error, "The policy could not be fetched from https://mta-sts.slow.test/.well-known/mta-sts.txt.");
        Assert.Single(report.Findings);
        Assert.Equal("GET https://mta-sts.slow.test/.well-known/mta-sts.txt failed: the response was not complete within 2 s.", finding.Evidence);
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);
    }
}
