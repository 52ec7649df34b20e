using Portal.Core.Health;
using Portal.Core.TlsReports;

namespace Portal.Tests.TlsReports;

/// <summary>The gate reads MX transport results from a stored mail check's findings, one per MX host.</summary>
public class MxTransportFindingsTests
{
    [Fact]
    public void Each_mx_transport_finding_becomes_one_host_result()
    {
        var results = MxTransportResults.FromFindings(DateTimeOffset.UnixEpoch,
        [
            new Finding("mta-sts.policy", FindingSeverity.Pass, "Policy served."),
            new Finding("mx.transport.mx1.example.org", FindingSeverity.Pass, "mx1 is fine.", "starttls=yes; certificate-valid=yes; matches-policy=yes"),
            new Finding("mx.transport.mx2.example.org", FindingSeverity.Error, "mx2 offers no STARTTLS.", "starttls=no; certificate-valid=no; matches-policy=yes"),
        ]);

        Assert.NotNull(results);
        Assert.Equal(
            [("mx1.example.org", true, true, true, true), ("mx2.example.org", false, false, true, false)],
            results.Hosts.Select(h => (h.Host, h.StartTls, h.CertificateValidForName, h.MatchesPolicy, h.Passed)));
    }

    [Fact]
    public void A_check_without_MX_results_holds_none_and_a_not_checked_finding_says_why()
    {
        Assert.Null(MxTransportResults.FromFindings(DateTimeOffset.UnixEpoch, [new Finding("mta-sts.policy", FindingSeverity.Pass, "Policy served.")]));

        var blocked = MxTransportResults.FromFindings(DateTimeOffset.UnixEpoch, [new Finding("mx.not-checked", FindingSeverity.Info, "Outbound port 25 is blocked from here.")]);

        Assert.Equal(("Outbound port 25 is blocked from here.", 0), (blocked!.NotChecked, blocked.Hosts.Count));
    }
}
