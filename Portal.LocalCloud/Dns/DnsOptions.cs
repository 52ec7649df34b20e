using System.Net;

namespace Portal.LocalCloud.Dns;

/// <summary>How the DNS server listens and what an alias to a CloudFront distribution resolves to.</summary>
public sealed record DnsOptions
{
    /// <summary>The UDP and TCP port on 127.0.0.1; 0 takes a port free for both.</summary>
    public int Port { get; init; }

    /// <summary>The edge's IPv4 address, answered for an A alias to a distribution.</summary>
    public IPAddress EdgeAddressV4 { get; init; } = IPAddress.Loopback;

    /// <summary>The edge's IPv6 address, answered for an AAAA alias to a distribution.</summary>
    public IPAddress EdgeAddressV6 { get; init; } = IPAddress.IPv6Loopback;

    /// <summary>Route53 answers an alias to CloudFront with a 60-second TTL.</summary>
    public int AliasTtl { get; init; } = 60;
}
