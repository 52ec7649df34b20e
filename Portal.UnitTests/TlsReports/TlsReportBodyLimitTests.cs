using System.Text;
using Portal.Core.TlsReports;
using Portal.Infrastructure.TlsReports;
using Portal.Tests.TlsReports;

namespace Portal.Tests.TlsReports;

/// <summary>A report body is read within two limits: bytes on the wire and bytes after decompression (a gzip bomb stops at the limit).</summary>
public class TlsReportBodyLimitTests
{
    [Fact]
    public async Task A_gzip_report_is_decompressed()
    {
        var json = SampleTlsReports.RfcExample();

        var result = await TlsReportBody.ReadAsync(new MemoryStream(SampleTlsReports.Gzip(json)), TlsReportEncoding.Gzip, 64 * 1024, 1024 * 1024);

        Assert.Equal(json, Encoding.UTF8.GetString(result.Json!));
    }

    [Fact]
    public async Task A_gzip_bomb_is_refused_once_its_output_passes_the_limit()
    {
        var bomb = SampleTlsReports.Bomb(64L * 1024 * 1024);
        var wire = new MemoryStream(bomb);

        var result = await TlsReportBody.ReadAsync(wire, TlsReportEncoding.Gzip, 1024 * 1024, 1024 * 1024);

        Assert.True(result.TooLarge);
        Assert.Null(result.Json);
        Assert.Equal("The report is larger than 1048576 bytes once decompressed.", result.Problem);

        // It stopped early: most of the compressed body was never read.
        Assert.True(wire.Position < bomb.Length / 2, $"read {wire.Position} of {bomb.Length} bytes");
    }

    [Fact]
    public async Task A_body_over_the_wire_limit_is_refused_whatever_its_encoding()
    {
        var big = new MemoryStream(new byte[5000]);

        var result = await TlsReportBody.ReadAsync(big, TlsReportEncoding.Json, 4096, 1024 * 1024);

        Assert.True(result.TooLarge);
        Assert.Equal("The body is larger than 4096 bytes.", result.Problem);
    }

    [Fact]
    public async Task A_body_that_is_not_gzip_is_refused_as_unreadable()
    {
        var result = await TlsReportBody.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(SampleTlsReports.RfcExample())), TlsReportEncoding.Gzip, 64 * 1024, 1024 * 1024);

        Assert.False(result.TooLarge);
        Assert.StartsWith("The body is not valid gzip data", result.Problem, StringComparison.Ordinal);
    }
}
