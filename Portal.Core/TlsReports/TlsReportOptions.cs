using System.ComponentModel.DataAnnotations;

namespace Portal.Core.TlsReports;

/// <summary>Settings of the <c>TlsReports</c> section: the report endpoint's limits and the enforce gate.</summary>
public sealed class TlsReportOptions : IValidatableObject
{
    public const string SectionName = "TlsReports";

    /// <summary>Largest request body taken, compressed or not.</summary>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "TlsReports:MaxBodyBytes must be between 1024 and 67108864.")]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest report once decompressed: a gzip body that inflates beyond this is refused as it is read.</summary>
    [Range(1024, 256 * 1024 * 1024, ErrorMessage = "TlsReports:MaxReportBytes must be between 1024 and 268435456.")]
    public int MaxReportBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Reports taken per sending address and <see cref="Window"/>.</summary>
    [Range(1, 100_000, ErrorMessage = "TlsReports:PermitLimit must be between 1 and 100000.")]
    public int PermitLimit { get; set; } = 60;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "TlsReports:Window must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The portal's address as senders reach it (<c>https://portal.example.com</c>); when set, the MTA-STS form offers
    /// the portal's report endpoint as a <c>rua</c> address.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Days with reported sessions the gate wants before enforce.</summary>
    [Range(0, 365, ErrorMessage = "TlsReports:GateMinimumReportDays must be between 0 and 365.")]
    public int GateMinimumReportDays { get; set; } = 7;

    /// <summary>Highest share of failed sessions, in percent, the gate accepts.</summary>
    [Range(0.0, 100.0, ErrorMessage = "TlsReports:GateMaximumFailurePercent must be between 0 and 100.")]
    public double GateMaximumFailurePercent { get; set; } = 1.0;

    /// <summary>How far back the gate reads reports.</summary>
    [Range(1, 366, ErrorMessage = "TlsReports:GateLookbackDays must be between 1 and 366.")]
    public int GateLookbackDays { get; set; } = 30;

    /// <summary>Refuse the promotion to enforce when the evidence is missing or bad (otherwise the gate only warns). The sandbox always only warns.</summary>
    public bool GateBlocks { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxReportBytes < MaxBodyBytes)
        {
            yield return new ValidationResult("TlsReports:MaxReportBytes must not be smaller than TlsReports:MaxBodyBytes.", [nameof(MaxReportBytes)]);
        }

        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Query.Length > 0))
        {
            yield return new ValidationResult("TlsReports:PublicBaseUrl must be an https:// address without a query (RFC 8460 section 3 allows only https for reports over HTTP).", [nameof(PublicBaseUrl)]);
        }
    }

    /// <summary>The path of the report endpoint for one mail domain.</summary>
    public static string ReportPath(string mailDomain) => $"/tlsrpt/v1/{mailDomain}";

    /// <summary>The <c>rua</c> address that sends a domain's reports to this portal, or null without <see cref="PublicBaseUrl"/>.</summary>
    public string? RuaFor(string mailDomain) => string.IsNullOrWhiteSpace(PublicBaseUrl) || string.IsNullOrWhiteSpace(mailDomain)
        ? null
        : PublicBaseUrl.TrimEnd('/') + ReportPath(mailDomain.Trim().ToLowerInvariant());
}
