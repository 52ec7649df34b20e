using Portal.Core.Health;
using Portal.Core.MtaSts;
using Portal.Core.Requests;

namespace Portal.Tests.Health;

/// <summary>
/// How the MX transport check's results become findings: unreachable hosts are information, a host senders cannot
/// reach over valid TLS is an error under enforce and a warning otherwise, and a healthy host passes.
/// </summary>
public sealed class MxTransportGradingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static MxTransportResult Good(string host = "mx1.example.com") =>
        new(host, true, true, "TLSv1.3", true, Now.AddDays(90), true);

    private static Finding Single(MxTransportResult mx, MtaStsMode? mode = MtaStsMode.Enforce, int port = 25) =>
        Assert.Single(MxTransportGrading.Grade([mx], mode, port, Now, 21));

    [Fact]
    public void A_host_with_starttls_and_a_valid_certificate_passes()
    {
        var finding = Single(Good());

        Assert.Equal(("mx.transport-ok", FindingSeverity.Pass), (finding.Id, finding.Severity));
        Assert.Equal("mx1.example.com offers STARTTLS (TLSv1.3) with a certificate valid for its name until 2027-03-04.", finding.Message);
        Assert.True(Good().Passes);
    }

    [Fact]
    public void A_host_not_reachable_from_here_is_information_naming_the_port()
    {
        var finding = Single(new MxTransportResult("mx1.example.com", false, null, null, null, null, true) { Problem = "Connecting failed: refused." }, port: 2525);

        Assert.Equal(("mx.not-checked", FindingSeverity.Info), (finding.Id, finding.Severity));
        Assert.Equal("mx1.example.com (port 2525) could not be reached from here, so its transport was not checked (outbound port 2525 is often blocked on cloud hosts).", finding.Message);
        Assert.Equal("Connecting failed: refused.", finding.Evidence);
    }

    [Theory]
    [InlineData(MtaStsMode.Enforce, FindingSeverity.Error)]
    [InlineData(MtaStsMode.Testing, FindingSeverity.Warning)]
    [InlineData(null, FindingSeverity.Warning)]
    public void A_host_without_starttls_fails_by_the_policy_mode(MtaStsMode? mode, FindingSeverity severity)
    {
        var finding = Single(Good() with { StartTls = false, TlsVersion = null, CertificateValidForName = null, CertificateExpires = null }, mode);

        Assert.Equal(("mx.starttls-missing", severity), (finding.Id, finding.Severity));
    }

    [Fact]
    public void A_certificate_for_another_name_is_an_error_under_enforce_with_its_problems_as_evidence()
    {
        var finding = Single(Good() with { CertificateValidForName = false, CertificateProblems = ["The certificate does not name mx1.example.com; it names other.example."] });

        Assert.Equal(("mx.certificate-invalid", FindingSeverity.Error), (finding.Id, finding.Severity));
        Assert.Equal("The certificate does not name mx1.example.com; it names other.example.", finding.Evidence);
        Assert.False((Good() with { CertificateValidForName = false }).Passes);
    }

    [Fact]
    public void A_failed_handshake_after_starttls_is_reported_as_such()
    {
        var finding = Single(Good() with { TlsVersion = null, CertificateValidForName = null, Problem = "handshake failed" }, MtaStsMode.Testing);

        Assert.Equal(("mx.tls-failed", FindingSeverity.Warning), (finding.Id, finding.Severity));
    }

    [Fact]
    public void A_certificate_expiring_within_the_warning_days_is_a_warning()
    {
        var finding = Single(Good() with { CertificateExpires = Now.AddDays(5) });

        Assert.Equal(("mx.certificate-expiring", FindingSeverity.Warning), (finding.Id, finding.Severity));
    }

    [Fact]
    public void Dane_tlsa_records_are_information_besides_the_transport_finding()
    {
        var findings = MxTransportGrading.Grade([Good() with { DaneTlsa = true }, Good("mx2.example.com") with { DaneTlsa = false }], MtaStsMode.Enforce, 25, Now, 21);

        Assert.Equal(["mx.transport-ok", "mx.dane-tlsa", "mx.transport-ok"], findings.Select(f => f.Id));
        Assert.Equal(FindingSeverity.Info, findings[1].Severity);
    }

    [Fact]
    public void A_host_outside_the_policy_patterns_does_not_pass_and_is_left_to_the_policy_check()
    {
        var outside = Good() with { MatchesPolicy = false };

        Assert.Empty(MxTransportGrading.Grade([outside], MtaStsMode.Enforce, 25, Now, 21));
        Assert.False(outside.Passes);
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("deep.mail.example.com", false)]
    [InlineData("example.com", false)]
    public void Policy_matching_uses_the_rfc_8461_wildcard_rule(string host, bool matches)
    {
        var policy = new MtaStsPolicy(MtaStsMode.Enforce, 604800, ["*.example.com"]);

        Assert.Equal(matches, MxTransportGrading.MatchesPolicy(policy, host));
        Assert.Null(MxTransportGrading.MatchesPolicy(null, host));
    }
}

/// <summary>A stored health result keeps each MX host's transport result for the pages, the API and the enforce gate.</summary>
public sealed class MxTransportStorageTests
{
    [Fact]
    public void A_stored_result_gives_back_the_mx_hosts_it_was_made_from()
    {
        var host = new MxTransportResult("mx1.example.com", true, true, "TLSv1.3", false, new DateTimeOffset(2027, 1, 2, 3, 4, 5, TimeSpan.Zero), true)
        {
            DaneTlsa = true,
            Problem = "p",
            CertificateProblems = ["The certificate does not name mx1.example.com; it names other.example."],
        };
        var report = new HealthReport("example.com", HealthCheckKind.Mail, DateTimeOffset.UnixEpoch, TimeSpan.Zero, []) { MxHosts = [host] };

        var stored = Assert.Single(HealthResult.From(Guid.NewGuid(), report).MxHosts);

        Assert.Equal(host with { CertificateProblems = stored.CertificateProblems }, stored);
        Assert.Equal(host.CertificateProblems, stored.CertificateProblems);
    }
}
