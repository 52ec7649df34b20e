using Portal.Core.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>The dashboard's summary: statuses counted per kind, the certificate warning window, modes in testing, grades in order.</summary>
public sealed class HealthSummaryTests
{
    private static readonly DateTimeOffset Now = TestActors.SignedInAt;

    private static HealthRow Row(string name, HealthCheckKind kind, FindingSeverity? worst, string? grade = null, string? mode = null, DateTimeOffset? certificate = null) =>
        new(Guid.NewGuid(), name, kind, worst is null ? null : Now, worst, grade, mode, certificate);

    [Fact]
    public void Statuses_are_counted_per_kind_and_information_counts_as_healthy()
    {
        var summary = HealthSummary.From(
        [
            Row("a", HealthCheckKind.Site, FindingSeverity.Pass),
            Row("b", HealthCheckKind.Site, FindingSeverity.Info),
            Row("c", HealthCheckKind.Site, FindingSeverity.Warning),
            Row("d", HealthCheckKind.Site, null),
            Row("m", HealthCheckKind.Mail, FindingSeverity.Error),
        ], Now, 21);

        Assert.Equal(new HealthStatusCounts(2, 1, 0, 1), summary.Sites);
        Assert.Equal(new HealthStatusCounts(0, 0, 1, 0), summary.MailDomains);
        Assert.Equal(4, summary.Sites.Total);
    }

    [Fact]
    public void A_row_never_checked_is_not_checked_whatever_its_worst_says()
    {
        var row = new HealthRow(Guid.NewGuid(), "a", HealthCheckKind.Site, null, FindingSeverity.Error, null, null, null);

        Assert.Equal(HealthStatus.NotChecked, row.Status);
    }

    [Fact]
    public void Certificates_within_the_window_and_expired_ones_are_listed_soonest_first()
    {
        var summary = HealthSummary.From(
        [
            Row("later", HealthCheckKind.Site, FindingSeverity.Pass, certificate: Now.AddDays(22)),
            Row("edge", HealthCheckKind.Site, FindingSeverity.Pass, certificate: Now.AddDays(21)),
            Row("soon", HealthCheckKind.Site, FindingSeverity.Pass, certificate: Now.AddHours(20)),
            Row("gone", HealthCheckKind.Mail, FindingSeverity.Error, certificate: Now.AddDays(-3)),
        ], Now, 21);

        Assert.Equal([("gone", -3), ("soon", 0), ("edge", 21)], summary.ExpiringCertificates.Select(c => (c.Name, c.DaysLeft)));
    }

    [Fact]
    public void Mail_domains_in_testing_are_picked_out()
    {
        var summary = HealthSummary.From(
        [
            Row("b.example", HealthCheckKind.Mail, FindingSeverity.Warning, mode: "testing"),
            Row("a.example", HealthCheckKind.Mail, FindingSeverity.Pass, mode: "enforce"),
            Row("c.example", HealthCheckKind.Mail, null),
        ], Now, 21);

        Assert.Equal(["a.example", "b.example", "c.example"], summary.MailDomainRows.Select(r => r.Name));
        Assert.Equal(["b.example"], summary.InTesting.Select(r => r.Name));
    }

    [Fact]
    public void Grades_are_counted_best_first_and_only_for_sites()
    {
        var summary = HealthSummary.From(
        [
            Row("a", HealthCheckKind.Site, FindingSeverity.Pass, "B"),
            Row("b", HealthCheckKind.Site, FindingSeverity.Pass, "A+"),
            Row("c", HealthCheckKind.Site, FindingSeverity.Pass, "F"),
            Row("d", HealthCheckKind.Site, FindingSeverity.Pass, "B"),
            Row("e", HealthCheckKind.Site, null),
            Row("m", HealthCheckKind.Mail, FindingSeverity.Pass, "A"),
        ], Now, 21);

        Assert.Equal([new GradeCount("A+", 1), new GradeCount("B", 2), new GradeCount("F", 1)], summary.Grades);
    }
}
