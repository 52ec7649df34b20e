using Portal.Core.Health;

namespace Portal.Tests.Health;

/// <summary>Whether a mail domain has a TLS-RPT record, read from the findings of its latest check.</summary>
public sealed class TlsRptPresenceTests
{
    private static readonly Finding Record = new("mta-sts.record", FindingSeverity.Pass, "Valid.");

    [Fact]
    public void No_tlsrpt_finding_after_a_check_means_a_valid_record() =>
        Assert.Equal(TlsRptPresence.Present, HealthStatuses.TlsRpt([Record]));

    [Theory]
    [InlineData("tlsrpt.missing", FindingSeverity.Info)]
    [InlineData("tlsrpt.missing-while-testing", FindingSeverity.Warning)]
    public void A_missing_record_is_missing(string id, FindingSeverity severity) =>
        Assert.Equal(TlsRptPresence.Missing, HealthStatuses.TlsRpt([Record, new Finding(id, severity, "No record.")]));

    [Fact]
    public void An_error_in_the_record_makes_it_invalid() =>
        Assert.Equal(TlsRptPresence.Invalid, HealthStatuses.TlsRpt([Record, new Finding("tlsrpt.multiple", FindingSeverity.Error, "Two records.")]));

    [Fact]
    public void A_warning_about_the_record_leaves_it_present() =>
        Assert.Equal(TlsRptPresence.Present, HealthStatuses.TlsRpt([Record, new Finding("tlsrpt.rua-unknown", FindingSeverity.Warning, "Odd rua.")]));

    [Fact]
    public void Nothing_checked_or_a_refused_check_is_unknown()
    {
        Assert.Equal(TlsRptPresence.Unknown, HealthStatuses.TlsRpt([]));
        Assert.Equal(TlsRptPresence.Unknown, HealthStatuses.TlsRpt([new Finding("mta-sts.address-refused", FindingSeverity.Error, "Refused.")]));
    }
}
