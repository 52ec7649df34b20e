using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>
/// The policy host <c>mta-sts.DOMAIN</c> (RFC 8461 section 3.3): it needs an address and a certificate that is valid
/// now, names the host and chains to a trusted root; senders discard a policy served otherwise.
/// </summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class MtaStsPolicyHostCheckTests(HealthFixtureNetwork fixture)
{
    private const string Refused = " Senders refuse a policy served with an invalid certificate.";

    [Fact]
    public async Task A_policy_host_without_an_address_is_an_error()
    {
        var report = await fixture.MailAsync("no-host.test");

        HasExactly(report, ("mta-sts.host-missing", FindingSeverity.Error, "mta-sts.no-host.test has no A or AAAA record, so the policy cannot be fetched."));
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);
    }

    [Fact]
    public async Task An_expired_certificate_is_an_error_naming_its_expiry()
    {
        var report = await fixture.MailAsync("expired-cert.test");

        var expired = fixture.ExpiredMailCertificate.NotAfter.UtcDateTime;
        var finding = Has(report, "mta-sts.certificate-invalid", FindingSeverity.Error,
            $"mta-sts.expired-cert.test: The certificate expired on {expired:yyyy-MM-dd HH:mm} UTC.{Refused}");
        Assert.Single(report.Findings);
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);
        Assert.Contains("names mta-sts.expired-cert.test", finding.Evidence, StringComparison.Ordinal);
        Assert.Equal(fixture.ExpiredMailCertificate.NotAfter.ToUnixTimeSeconds(), report.CertificateExpires!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_an_error_listing_the_names_it_has()
    {
        var report = await fixture.MailAsync("wrong-name.test");

        HasExactly(report, ("mta-sts.certificate-invalid", FindingSeverity.Error,
            $"mta-sts.wrong-name.test: The certificate does not name mta-sts.wrong-name.test; it names wrong-name.invalid.{Refused}"));
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);
    }

    [Fact]
    public async Task A_certificate_from_an_untrusted_CA_is_an_error()
    {
        var report = await fixture.MailAsync("untrusted.test");

        HasExactly(report, ("mta-sts.certificate-invalid", FindingSeverity.Error,
            $"mta-sts.untrusted.test: The certificate, issued by CN=Unknown CA, O=Portal tests, does not chain to a trusted root (PartialChain).{Refused}"));
        Assert.Equal(MtaStsVerdict.PolicyError, report.Verdict);
    }
}
