using System.ComponentModel.DataAnnotations;
using Portal.LocalCloud.Providers;

namespace Portal.Sandbox;

/// <summary>The <c>Sandbox</c> section: where the local cloud listens and what it starts with (sandbox mode only).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Port of the local cloud's AWS endpoint on 127.0.0.1; 0 picks a free one at each start.</summary>
    [Range(0, 65535, ErrorMessage = "Sandbox:AwsPort must be between 0 and 65535.")]
    public int AwsPort { get; set; }

    /// <summary>Port of the edge's plain HTTP listener (the site links people open); 0 picks a free one at each start.</summary>
    [Range(0, 65535, ErrorMessage = "Sandbox:EdgeHttpPort must be between 0 and 65535.")]
    public int EdgeHttpPort { get; set; }

    /// <summary>Port of the edge's HTTPS listener (HTTP/2, certificates from the sandbox's own CA); 0 picks a free one.</summary>
    [Range(0, 65535, ErrorMessage = "Sandbox:EdgeHttpsPort must be between 0 and 65535.")]
    public int EdgeHttpsPort { get; set; }

    /// <summary>Port of the DNS server for the sandbox's zones (UDP and TCP); 0 picks a free one.</summary>
    [Range(0, 65535, ErrorMessage = "Sandbox:DnsPort must be between 0 and 65535.")]
    public int DnsPort { get; set; }

    /// <summary>
    /// Hosted zones the sandbox holds from its first start (more can be added later by name). Requests for names in them
    /// get DNS records, certificates and health checks like in a real account.
    /// </summary>
    [MinLength(1, ErrorMessage = "Sandbox:HostedZones needs at least one zone name.")]
    public string[] HostedZones { get; set; } = ["example.com", "example.org"];

    /// <summary>
    /// The account quotas the sandbox enforces, AWS's defaults unless raised here as one asks AWS for an increase
    /// (<c>Sandbox:Quotas:ResponseHeadersPolicies=100</c>).
    /// </summary>
    public LocalCloudQuotas Quotas { get; set; } = new();

    /// <summary>How often a changed sandbox is written to the data folder (also at shutdown).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Sandbox:SaveInterval must be between 1 second and 1 hour.")]
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromSeconds(5);
}
