using System.ComponentModel.DataAnnotations;
using Portal.Core.Networking;

namespace Portal.Core.Health;

/// <summary>Settings of the <c>Health</c> section.</summary>
public sealed class HealthOptions : IValidatableObject
{
    public const string SectionName = "Health";

    /// <summary>Limit for each network step (DNS question, TLS handshake, HTTP fetch).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ErrorMessage = "Health:Timeout must be between 00:00:01 and 00:02:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many names are checked at once in a scan.</summary>
    [Range(1, 256, ErrorMessage = "Health:MaxConcurrency must be between 1 and 256.")]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Days before expiry at which a certificate is reported.</summary>
    [Range(1, 365, ErrorMessage = "Health:CertificateWarningDays must be between 1 and 365.")]
    public int CertificateWarningDays { get; set; } = 21;

    /// <summary>PEM file of extra trusted root CAs (a private CA); the system's roots are always trusted.</summary>
    public string? ExtraTrustedRootsFile { get; set; }

    /// <summary>How often each watched name is checked (with up to 10% jitter).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Health:Interval must be between 00:01:00 and 7.00:00:00.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a replica looks for names that are due (their own <see cref="Interval"/> decides when each is checked).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Health:ScanEvery must be between 00:00:01 and 01:00:00.")]
    public TimeSpan ScanEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a replica's claim on a name lasts: a replica stopped in the middle of a check leaves the name to another
    /// replica once this passes. Keep it well above the time one check can take (several network steps of <see cref="Timeout"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "Health:ClaimLease must be between 00:00:10 and 1.00:00:00.")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// With several replicas (PostgreSQL), how often each replica looks in the database for checks another replica
    /// finished, so open health pages show them without a reload.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Health:LiveRefreshEvery must be between 00:00:01 and 00:05:00.")]
    public TimeSpan LiveRefreshEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Run scheduled scans in this process (turn off for CLI-only or read-only replicas).</summary>
    public bool ScheduledScans { get; set; } = true;

    public int HttpsPort { get; set; } = 443;

    public int HttpPort { get; set; } = 80;

    /// <summary>
    /// The port the MX transport check connects to (SMTP, 25). Cloud hosts often block outbound port 25; a host not
    /// reachable is reported as not checked from here, not as a failure.
    /// </summary>
    [Range(1, 65535, ErrorMessage = "Health:SmtpPort must be between 1 and 65535.")]
    public int SmtpPort { get; set; } = 25;

    /// <summary>Check each MX host of a mail domain (STARTTLS, certificate, policy match); off where SMTP may not be probed.</summary>
    public bool CheckMxTransport { get; set; } = true;

    /// <summary>The name the MX transport check introduces itself with in EHLO; empty uses this machine's name.</summary>
    public string? SmtpHeloName { get; set; }

    /// <summary>
    /// Networks the checks may connect to although they are not public (loopback, private, link-local, ...), in CIDR
    /// notation or as single addresses; empty allows public addresses only (see <see cref="OutboundAddressPolicy"/>).
    /// </summary>
    public IList<string> AllowedNetworks { get; init; } = [];

    /// <summary>How many names one person may add to the watch list by hand (names from requests do not count).</summary>
    [Range(1, 100_000, ErrorMessage = "Health:MaxWatchedNamesPerPerson must be between 1 and 100000.")]
    public int MaxWatchedNamesPerPerson { get; set; } = 50;

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        foreach (var entry in AllowedNetworks)
        {
            if (!OutboundAddressPolicy.TryParseNetwork(entry, out _, out var problem))
            {
                yield return new ValidationResult($"Health:AllowedNetworks: {problem}", [nameof(AllowedNetworks)]);
            }
        }
    }
}
