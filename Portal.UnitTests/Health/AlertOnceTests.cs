using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>An alert fires when a condition appears, not again while it lasts, and again after it cleared and came back.</summary>
public sealed class AlertOnceTests
{
    private static readonly DateTimeOffset T0 = TestActors.SignedInAt;

    private static HealthReport Mail(params Finding[] findings) => new("example.com", HealthCheckKind.Mail, T0, TimeSpan.Zero, findings);

    private static readonly Finding Broken = new("mta-sts.record-missing", FindingSeverity.Error, "There is no v=STSv1 TXT record.");
    private static readonly Finding Fine = new("mta-sts.valid", FindingSeverity.Pass, "Valid.");

    [Fact]
    public void Breaking_raises_once_and_repeating_scans_stay_quiet()
    {
        var target = HealthTarget.Create("example.com", HealthCheckKind.Mail, null, "alice", T0);

        Assert.Empty(target.Record(Mail(Fine), T0.AddHours(1)));
        Assert.Equal(["mta-sts-broken"], target.Record(Mail(Broken), T0.AddHours(2)));
        Assert.Empty(target.Record(Mail(Broken), T0.AddHours(3)));
        Assert.Empty(target.Record(Mail(Broken), T0.AddHours(4)));
    }

    [Fact]
    public void A_fix_clears_the_condition_so_a_new_break_alerts_again()
    {
        var target = HealthTarget.Create("example.com", HealthCheckKind.Mail, null, "alice", T0);
        target.Record(Mail(Broken), T0);

        Assert.Empty(target.Record(Mail(Fine), T0.AddHours(1)));
        Assert.Equal("", target.ActiveAlerts);
        Assert.Equal(["mta-sts-broken"], target.Record(Mail(Broken), T0.AddHours(2)));
    }

    [Fact]
    public void A_site_certificate_nearing_expiry_and_a_grade_drop_are_separate_conditions()
    {
        var target = HealthTarget.Create("docs.example.com", HealthCheckKind.Site, null, "alice", T0);
        var expiring = new Finding("site.certificate-expiring", FindingSeverity.Warning, "Expires in 10 days.");
        var dropped = new Finding("site.grade-dropped", FindingSeverity.Warning, "Dropped.");

        var first = target.Record(new HealthReport("docs.example.com", HealthCheckKind.Site, T0, TimeSpan.Zero, [expiring]) { Grade = "A+", Score = 110 }, T0);
        var second = target.Record(new HealthReport("docs.example.com", HealthCheckKind.Site, T0, TimeSpan.Zero, [expiring, dropped]) { Grade = "B", Score = 70 }, T0);

        Assert.Equal(["certificate"], first);
        Assert.Equal(["grade-dropped:B"], second);
        Assert.Equal((70, "B"), (target.Previous!.Score!.Value, target.Previous.Grade));
    }
}
