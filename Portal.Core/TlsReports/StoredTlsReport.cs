using System.Text;

namespace Portal.Core.TlsReports;

/// <summary>How a report body came: RFC 8460 section 5.3's two media types.</summary>
public enum TlsReportEncoding
{
    Json,
    Gzip,
}

/// <summary>
/// A received report as it came (<see cref="RawJson"/>, after decompression) with the figures read from it, saved in
/// one row so a report is either wholly kept or not at all. One row per mail domain and report id.
/// </summary>
public sealed class StoredTlsReport
{
    private StoredTlsReport()
    {
    }

    public Guid Id { get; private set; }

    public string MailDomain { get; private set; } = "";

    public string ReportId { get; private set; } = "";

    public string Organization { get; private set; } = "";

    public DateTimeOffset StartDate { get; private set; }

    public DateTimeOffset EndDate { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public long SuccessfulSessions { get; private set; }

    public long FailedSessions { get; private set; }

    /// <summary>How it arrived: <c>gzip</c> or <c>json</c>.</summary>
    public string Encoding { get; private set; } = "";

    public string RawJson { get; private set; } = "";

    public static StoredTlsReport From(string mailDomain, TlsReport report, byte[] json, TlsReportEncoding encoding, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new()
        {
            Id = Guid.CreateVersion7(receivedAt),
            MailDomain = mailDomain,
            ReportId = report.ReportId,
            Organization = report.OrganizationName.Length > 200 ? report.OrganizationName[..200] : report.OrganizationName,
            StartDate = report.StartDate,
            EndDate = report.EndDate,
            ReceivedAt = receivedAt,
            SuccessfulSessions = report.SuccessfulSessions,
            FailedSessions = report.FailedSessions,
            Encoding = encoding == TlsReportEncoding.Gzip ? "gzip" : "json",
            RawJson = System.Text.Encoding.UTF8.GetString(json),
        };
    }

    /// <summary>The report read again from its raw text (it was valid when stored).</summary>
    public TlsReport? Parse() => TlsReportParser.Parse(Utf8.GetBytes(RawJson)).Report;

    private static readonly UTF8Encoding Utf8 = new(false);
}
