using CsCheck;
using Portal.Core.MtaSts;

namespace Portal.Tests.MtaSts;

/// <summary>The <c>_smtp._tls</c> record is built from checked URIs, written as RFC 8460 shows, and reads back unchanged.</summary>
public class TlsRptRecordSerializationTests
{
    [Fact]
    public void Serialization_joins_the_uris_with_commas()
    {
        var record = TlsRptRecord.Create(["mailto:tlsrpt@example.com", "https://reports.example.com/tlsrpt"]).Value!;

        Assert.Equal("v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/tlsrpt", record.Serialize());
    }

    [Fact]
    public void Create_refuses_uris_that_would_break_the_record()
    {
        var result = TlsRptRecord.Create(["mailto:a@example.com; v=spoof", "mailto:b@example.com,mailto:c@example.com", "\"quoted\""]);

        Assert.Equal(3, result.Errors.Count);
        Assert.Equal(
            [
                "The 'rua' URI 'mailto:a@example.com; v=spoof' contains ';', which must be written %3B (a semicolon separates fields).",
                "The 'rua' URI 'mailto:b@example.com,mailto:c@example.com' contains ',', which must be written %2C (a comma separates URIs).",
                "The 'rua' URI '\"quoted\"' contains '\"', which is not allowed in a URI.",
            ],
            result.Errors.Select(e => e.Message));
        Assert.Throws<InvalidOperationException>(() => new TlsRptRecord(["mailto:a@example.com; v=spoof"]).Serialize());
    }

    [Fact]
    public void Generated_records_round_trip()
    {
        var uri = Gen.Select(PolicyGenerators.Label, PolicyGenerators.HostName, Gen.Bool)
            .Select((local, host, mail) => mail ? $"mailto:{local}@{host}" : $"https://{host}/{local}");

        uri.Array[1, 4].Sample(rua =>
        {
            var record = TlsRptRecord.Create(rua).Value!;
            Assert.Equal(record, TlsRptRecord.Parse(record.Serialize()).Value);
        }, iter: 1000);
    }
}
