using Portal.Core.Health;
using Portal.Infrastructure.Health;
using static Portal.Tests.Health.FindingAssertions;

namespace Portal.Tests.Health;

/// <summary>The TLS-RPT record at <c>_smtp._tls.DOMAIN</c> (RFC 8460 section 3): exactly one, with mailto: or https: rua URIs.</summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class TlsRptCheckTests(HealthFixtureNetwork fixture)
{
    [Fact]
    public async Task A_valid_record_adds_no_finding()
    {
        var report = await fixture.MailAsync("valid.test");

        Assert.DoesNotContain(report.Findings, f => f.Id.StartsWith("tlsrpt.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rua_with_another_scheme_is_an_error()
    {
        var report = await fixture.MailAsync("tlsrpt-invalid.test");

        var finding = Has(report, "tlsrpt.rua-invalid", FindingSeverity.Error,
            "The 'rua' URI 'ftp://reports.tlsrpt-invalid.test/' uses the scheme 'ftp'; TLS-RPT accepts only mailto: and https:.");
        Assert.Single(report.Findings);
        Assert.Equal(("_smtp._tls.tlsrpt-invalid.test TXT \"v=TLSRPTv1; rua=ftp://reports.tlsrpt-invalid.test/\"", "RFC 8460 section 3"), (finding.Evidence, finding.Reference));
    }

    [Fact]
    public async Task Two_records_are_an_error()
    {
        var report = await fixture.MailAsync("tlsrpt-multiple.test");

        HasExactly(report, ("tlsrpt.multiple", FindingSeverity.Error, "_smtp._tls.tlsrpt-multiple.test has 2 v=TLSRPTv1 records; reporters ignore them all."));
    }

    [Fact]
    public async Task No_record_beside_an_enforced_policy_is_only_information()
    {
        var report = await fixture.MailAsync("no-tlsrpt.test");

        HasExactly(report, Valid("no-tlsrpt.test"), ("tlsrpt.missing", FindingSeverity.Info, "_smtp._tls.no-tlsrpt.test has no TLS-RPT record."));
        Assert.Equal(0, report.ExitCode);
    }
}
