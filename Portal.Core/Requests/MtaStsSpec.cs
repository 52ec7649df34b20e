using System.Text.Json.Serialization;

namespace Portal.Core.Requests;

/// <summary>An MTA-STS policy (RFC 8461) for a mail domain, with optional TLS reporting (RFC 8460).</summary>
public sealed record MtaStsSpec : RequestSpec
{
    public const long MaxMaxAge = 31_557_600;
    public const long DefaultMaxAge = 604_800;

    [JsonIgnore]
    public override RequestKind Kind => RequestKind.MtaSts;

    [JsonIgnore]
    public override string PrimaryName => Domain;

    /// <summary>The mail domain (IDNA A-labels); the policy is served at <c>mta-sts.&lt;domain&gt;</c>.</summary>
    public string Domain { get; init; } = "";

    /// <summary>The mode requested for production. Testing always serves <c>mode: testing</c> (RFC 8461 section 5).</summary>
    public MtaStsMode Mode { get; init; } = MtaStsMode.Testing;

    /// <summary>Seconds a sender may cache the policy, 0..31557600.</summary>
    public long MaxAge { get; init; } = DefaultMaxAge;

    /// <summary>MX host patterns; <c>*.</c> may stand as the whole left-most label.</summary>
    public IReadOnlyList<string> Mx { get; init; } = [];

    /// <summary>TLS-RPT report URIs (<c>mailto:</c> or <c>https:</c>); empty means no <c>_smtp._tls</c> record.</summary>
    public IReadOnlyList<string> TlsRptRua { get; init; } = [];

    /// <summary>Route53 hosted zone of the mail domain; null when its DNS is elsewhere and records are published by hand.</summary>
    public string? HostedZoneId { get; init; }

    public string? HostedZoneName { get; init; }

    [JsonIgnore]
    public bool DnsInRoute53 => !string.IsNullOrEmpty(HostedZoneId);
}
