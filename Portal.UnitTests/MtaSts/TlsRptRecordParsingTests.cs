using Portal.Core.MtaSts;

namespace Portal.Tests.MtaSts;

/// <summary>The <c>_smtp._tls</c> record follows RFC 8460 section 3.</summary>
public class TlsRptRecordParsingTests
{
    [Theory]
    // The two examples of RFC 8460 section 3.
    [InlineData("v=TLSRPTv1;rua=mailto:reports@example.com", new[] { "mailto:reports@example.com" })]
    [InlineData("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", new[] { "https://reporting.example.com/v1/tlsrpt" })]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.com/x?y=1;", new[] { "mailto:a@example.com", "https://r.example.com/x?y=1" })]
    [InlineData("v=TLSRPTv1; ext=1; rua=MAILTO:a@example.com", new[] { "MAILTO:a@example.com" })]
    [InlineData("v=TLSRPTv1; rua=mailto:tls%21rpt@example.com", new[] { "mailto:tls%21rpt@example.com" })]
    public void Valid_records_give_their_report_uris(string record, string[] rua)
    {
        var result = TlsRptRecord.Parse(record);

        Assert.True(result.IsValid, string.Join(" ", result.Errors.Select(e => e.Message)));
        Assert.Equal(rua, result.Value!.Rua);
    }

    [Fact]
    public void A_repeated_rua_keeps_the_first()
    {
        var result = TlsRptRecord.Parse("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com");

        Assert.Equal(["mailto:a@example.com"], result.Value!.Rua);
        Assert.Equal("duplicate-field", Assert.Single(result.Warnings).Id);
    }

    public static TheoryData<string, string, string> BadRecords => new()
    {
        { "v=TLSRPTv1", "rua-missing", "The _smtp._tls record has no 'rua' field; it must name at least one mailto: or https: address for reports." },
        { "v=STSv1; rua=mailto:a@example.com", "record-version", "The _smtp._tls record must begin with 'v=TLSRPTv1'; it begins with 'v=STSv1; r'." },
        { "v=TLSRPTv1; rua=mailto:a@example.com!10m", "rua-invalid", "The 'rua' URI 'mailto:a@example.com!10m' contains '!', which must be written %21; TLS-RPT has no size limit suffix like DMARC's 'uri!10m'." },
        { "v=TLSRPTv1; rua=mailto:a@example.com,", "rua-invalid", "The 'rua' URI '' is empty (look for a stray comma)." },
        { "v=TLSRPTv1; rua=http://reports.example.com/", "rua-invalid", "The 'rua' URI 'http://reports.example.com/' uses the scheme 'http'; TLS-RPT accepts only mailto: and https:." },
        { "v=TLSRPTv1; rua=reports@example.com", "rua-invalid", "The 'rua' URI 'reports@example.com' has no scheme; write 'mailto:reports@example.com' or 'https://reports.example.com/path'." },
        { "v=TLSRPTv1; rua=mailto:example.com", "rua-invalid", "The 'rua' URI 'mailto:example.com' is not a mailto: URI with one address of the form name@domain." },
        { "v=TLSRPTv1; rua=mailto:a@10.0.0.1", "rua-invalid", "The 'rua' URI 'mailto:a@10.0.0.1' has the mail domain '10.0.0.1', which is an IP address, not a host name." },
        { "v=TLSRPTv1; rua=https:reports", "rua-invalid", "The 'rua' URI 'https:reports' is not an absolute https:// URL." },
        { "v=TLSRPTv1; rua=https://r.example.com/a b", "rua-invalid", "The 'rua' URI 'https://r.example.com/a b' contains a space." },
        { "v=TLSRPTv1; rua=https://r.example.com/<script>", "rua-invalid", "The 'rua' URI 'https://r.example.com/<script>' contains '<', which is not allowed in a URI." },
    };

    [Theory]
    [MemberData(nameof(BadRecords))]
    public void A_bad_record_is_refused_with_one_clear_error(string record, string id, string message)
    {
        var result = TlsRptRecord.Parse(record);

        Assert.Null(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal(id, error.Id);
        Assert.Equal(message, error.Message);
        Assert.Equal("RFC 8460 section 3", error.Section);
    }
}
