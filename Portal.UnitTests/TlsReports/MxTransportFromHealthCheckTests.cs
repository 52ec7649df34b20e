using Portal.Core.Health;
using Portal.Core.TlsReports;
using HealthMx = Portal.Core.Health.MxTransportResult;

namespace Portal.Tests.TlsReports;

/// <summary>The enforce gate reads the MX hosts a stored mail check tried, as the health engine recorded them.</summary>
public class MxTransportFromHealthCheckTests
{
    private static readonly DateTimeOffset Expires = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_mx_host_of_the_check_becomes_one_result()
    {
        var results = MxTransportResults.FromHealthCheck(DateTimeOffset.UnixEpoch,
        [
            new HealthMx("mx1.example.org", true, true, "TLSv1.3", true, Expires, true),
            new HealthMx("mx2.example.org", true, false, null, null, null, true) { Problem = "no STARTTLS offered" },
            new HealthMx("mx3.example.org", true, true, "TLSv1.2", true, Expires, false),
        ], []);

        Assert.NotNull(results);
        Assert.Null(results.NotChecked);
        Assert.Equal(
            [("mx1.example.org", true, true, true, true), ("mx2.example.org", false, false, true, false), ("mx3.example.org", true, true, false, false)],
            results.Hosts.Select(h => (h.Host, h.StartTls, h.CertificateValidForName, h.MatchesPolicy, h.Passed)));
        Assert.Equal("no STARTTLS offered", results.Hosts[1].Detail);
    }

    [Fact]
    public void A_host_not_reachable_from_here_does_not_pass_while_others_were_checked()
    {
        var results = MxTransportResults.FromHealthCheck(DateTimeOffset.UnixEpoch,
            [new HealthMx("mx1.example.org", true, true, "TLSv1.3", true, Expires, true), new HealthMx("mx2.example.org", false, null, null, null, null, true)], []);

        Assert.Equal([true, false], results!.Hosts.Select(h => h.Passed));
        Assert.Equal("not reachable from here", results.Hosts[1].Detail);
    }

    [Fact]
    public void No_host_reached_means_not_checked_with_the_check_s_reason()
    {
        var blocked = MxTransportResults.FromHealthCheck(DateTimeOffset.UnixEpoch,
            [new HealthMx("mx1.example.org", false, null, null, null, null, true)],
            [new Finding("mx.not-checked", FindingSeverity.Info, "Outbound port 25 is blocked from here.")]);

        Assert.Equal(("Outbound port 25 is blocked from here.", 0), (blocked!.NotChecked, blocked.Hosts.Count));
    }

    [Fact]
    public void A_check_without_mx_results_holds_none()
    {
        Assert.Null(MxTransportResults.FromHealthCheck(DateTimeOffset.UnixEpoch, [], [new Finding("mta-sts.policy", FindingSeverity.Pass, "Policy served.")]));
    }
}
