using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portal.Core.Networking;

/// <summary>What kind of address a name resolved to, as far as reaching it from the portal is concerned.</summary>
public enum AddressKind
{
    /// <summary>Globally reachable unicast: the only kind a check may connect to without an allow-list entry.</summary>
    Public,
    Unspecified,
    Loopback,
    Private,
    SharedAddressSpace,
    LinkLocal,
    CloudMetadata,
    Multicast,
    Broadcast,
    Documentation,
    Benchmarking,
    Reserved,
}

/// <summary>Whether a check may connect to <paramref name="Address"/>, and what kind of address it is.</summary>
public sealed record OutboundDecision(IPAddress Address, AddressKind Kind, bool Allowed)
{
    /// <summary>The sentence a refused check reports, e.g. "refused: a.example resolves to a loopback address 127.0.0.1; not checked".</summary>
    public string Refusal(string host) =>
        $"refused: {host} resolves to {OutboundAddressPolicy.Describe(Kind)} {Address}; not checked";

    /// <summary>What an operator can do about it, for the evidence of a refused check.</summary>
    public const string Remedy = "The portal connects only to public addresses; an operator can allow a private network with Health:AllowedNetworks.";
}

/// <summary>
/// Which addresses health checks may connect to. A person can make the portal check any name, so without this rule a
/// name pointing at loopback, the local network or a cloud metadata service would turn the portal into a probe of its
/// own surroundings (server-side request forgery). Everything not globally reachable is refused unless an operator
/// allows its network; metadata services only by their exact address, so allowing a whole range never exposes them.
/// The decision is made on the address actually connected to, so a name that changes its answer between a check and
/// the connection (DNS rebinding) gains nothing.
/// </summary>
public sealed class OutboundAddressPolicy
{
    /// <summary>Instance metadata and similar host-local services of cloud providers, refused even inside an allowed range.</summary>
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, Azure, GCP, OpenStack, Oracle instance metadata
        IPAddress.Parse("169.254.170.2"), // AWS ECS task metadata and credentials
        IPAddress.Parse("169.254.169.253"), // AWS VPC resolver
        IPAddress.Parse("169.254.169.123"), // AWS time sync
        IPAddress.Parse("169.254.0.23"), // Tencent Cloud metadata
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud metadata
        IPAddress.Parse("192.0.0.192"), // Oracle Cloud legacy metadata
        IPAddress.Parse("168.63.129.16"), // Azure wire server (a public address)
        IPAddress.Parse("fd00:ec2::254"), // AWS instance metadata over IPv6
        IPAddress.Parse("fd00:ec2::253"), // AWS VPC resolver over IPv6
        IPAddress.Parse("fd00:ec2::123"), // AWS time sync over IPv6
        IPAddress.Parse("fd00:ec2::23"), // AWS ECS task metadata over IPv6
    ];

    /// <summary>IANA's IPv4 special-purpose registry, the entries that are not globally reachable (first match wins).</summary>
    private static readonly (IPNetwork Network, AddressKind Kind)[] V4Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), AddressKind.Unspecified),
        (IPNetwork.Parse("10.0.0.0/8"), AddressKind.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressKind.SharedAddressSpace),
        (IPNetwork.Parse("127.0.0.0/8"), AddressKind.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressKind.LinkLocal),
        (IPNetwork.Parse("172.16.0.0/12"), AddressKind.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressKind.Reserved),
        (IPNetwork.Parse("192.0.2.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("192.88.99.0/24"), AddressKind.Reserved),
        (IPNetwork.Parse("192.168.0.0/16"), AddressKind.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressKind.Benchmarking),
        (IPNetwork.Parse("198.51.100.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("203.0.113.0/24"), AddressKind.Documentation),
        (IPNetwork.Parse("224.0.0.0/4"), AddressKind.Multicast),
        (IPNetwork.Parse("255.255.255.255/32"), AddressKind.Broadcast),
        (IPNetwork.Parse("240.0.0.0/4"), AddressKind.Reserved),
    ];

    /// <summary>IANA's IPv6 special-purpose registry; anything outside 2000::/3 is not allocated for global unicast at all.</summary>
    private static readonly (IPNetwork Network, AddressKind Kind)[] V6Ranges =
    [
        (IPNetwork.Parse("::/128"), AddressKind.Unspecified),
        (IPNetwork.Parse("::1/128"), AddressKind.Loopback),
        (IPNetwork.Parse("64:ff9b:1::/48"), AddressKind.Private),
        (IPNetwork.Parse("100::/64"), AddressKind.Reserved),
        (IPNetwork.Parse("2001:db8::/32"), AddressKind.Documentation),
        (IPNetwork.Parse("2001:2::/48"), AddressKind.Benchmarking),
        (IPNetwork.Parse("2001::/23"), AddressKind.Reserved),
        (IPNetwork.Parse("3fff::/20"), AddressKind.Documentation),
        (IPNetwork.Parse("5f00::/16"), AddressKind.Reserved),
        (IPNetwork.Parse("fc00::/7"), AddressKind.Private),
        (IPNetwork.Parse("fe80::/10"), AddressKind.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), AddressKind.Private),
        (IPNetwork.Parse("ff00::/8"), AddressKind.Multicast),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public OutboundAddressPolicy(IEnumerable<IPNetwork> allowedNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        AllowedNetworks = [.. allowedNetworks];
    }

    /// <summary>Only public addresses.</summary>
    public static OutboundAddressPolicy PublicOnly { get; } = new([]);

    /// <summary>Networks an operator allowed although their addresses are not public.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; }

    /// <summary>The policy for the <c>Health:AllowedNetworks</c> entries; throws on an entry <see cref="TryParseNetwork"/> refuses.</summary>
    public static OutboundAddressPolicy FromSettings(IEnumerable<string> allowedNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        return new(allowedNetworks.Select(text => TryParseNetwork(text, out var network, out var problem)
            ? network
            : throw new FormatException($"Health:AllowedNetworks: {problem}")));
    }

    public OutboundDecision Check(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var kind = Classify(address);
        return new(address, kind, kind == AddressKind.Public || IsAllowed(address, kind));
    }

    /// <summary>The kind of an address; IPv4 carried inside IPv6 (mapped, NAT64, 6to4) counts as that IPv4 address.</summary>
    public static AddressKind Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4());
        }

        if (MetadataAddresses.Any(m => m.Equals(WithoutScope(address))))
        {
            return AddressKind.CloudMetadata;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return First(V4Ranges, address) ?? AddressKind.Public;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressKind.Reserved;
        }

        // A translator or relay hands the connection to the IPv4 address inside, so that address decides.
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return Classify(new IPAddress(bytes.AsSpan(12, 4)));
        }

        if (SixToFour.Contains(address))
        {
            return Classify(new IPAddress(bytes.AsSpan(2, 4)));
        }

        return First(V6Ranges, address) ?? (GlobalUnicast.Contains(address) ? AddressKind.Public : AddressKind.Reserved);
    }

    /// <summary>The kind as words that fit "resolves to ... 10.0.0.1".</summary>
    public static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Public => "a public address",
        AddressKind.Unspecified => "an unspecified address",
        AddressKind.Loopback => "a loopback address",
        AddressKind.Private => "a private address",
        AddressKind.SharedAddressSpace => "a shared (carrier-grade NAT) address",
        AddressKind.LinkLocal => "a link-local address",
        AddressKind.CloudMetadata => "a cloud metadata address",
        AddressKind.Multicast => "a multicast address",
        AddressKind.Broadcast => "the broadcast address",
        AddressKind.Documentation => "a documentation address",
        AddressKind.Benchmarking => "a benchmarking address",
        _ => "a reserved address",
    };

    /// <summary>
    /// Reads one allow-list entry: a network in CIDR notation (<c>10.20.0.0/16</c>, <c>fd00:1234::/48</c>) or a single
    /// address. A network with bits set past its prefix is refused rather than widened or narrowed silently.
    /// </summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network, out string? problem)
    {
        network = default;
        var trimmed = text?.Trim() ?? "";
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        // IPAddress also reads shorthand such as "10.1" (10.0.0.1), which in an allow-list is more likely a typing slip.
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal)
            || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3))
        {
            problem = $"'{text}' is not a network in CIDR notation such as 10.20.0.0/16 or fd00:1234::/48, nor a single address.";
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(trimmed[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            problem = $"'{text}' has a prefix length that is not a number from 0 to {bits}.";
            return false;
        }

        var masked = Mask(address, prefix);
        if (!masked.Equals(address))
        {
            problem = $"'{text}' has bits set past its /{prefix} prefix; the network is {masked}/{prefix}.";
            return false;
        }

        network = new IPNetwork(address, prefix);
        problem = null;
        return true;
    }

    private bool IsAllowed(IPAddress address, AddressKind kind)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : WithoutScope(address);
        return kind == AddressKind.CloudMetadata
            ? AllowedNetworks.Any(n => n.PrefixLength == (n.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) && n.Contains(plain))
            : AllowedNetworks.Any(n => n.Contains(plain));
    }

    private static AddressKind? First((IPNetwork Network, AddressKind Kind)[] ranges, IPAddress address)
    {
        foreach (var (network, kind) in ranges)
        {
            if (network.Contains(address))
            {
                return kind;
            }
        }

        return null;
    }

    private static IPAddress WithoutScope(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
