using System.Net;
using Portal.Core.Networking;

namespace Portal.Tests.Networking;

/// <summary>
/// Every address a name can resolve to falls in one kind; only <see cref="AddressKind.Public"/> is reachable by default.
/// IPv4 carried inside IPv6 (mapped, NAT64, 6to4) counts as the IPv4 address it reaches.
/// </summary>
public sealed class AddressClassificationTests
{
    [Theory]
    // Loopback
    [InlineData("127.0.0.1", AddressKind.Loopback)]
    [InlineData("127.255.255.254", AddressKind.Loopback)]
    [InlineData("::1", AddressKind.Loopback)]
    // Private (RFC 1918, ULA, deprecated site-local, local-use NAT64)
    [InlineData("10.0.0.1", AddressKind.Private)]
    [InlineData("10.231.7.4", AddressKind.Private)]
    [InlineData("172.16.0.1", AddressKind.Private)]
    [InlineData("172.31.255.255", AddressKind.Private)]
    [InlineData("192.168.1.1", AddressKind.Private)]
    [InlineData("fc00::1", AddressKind.Private)]
    [InlineData("fd12:3456:789a::1", AddressKind.Private)]
    [InlineData("fec0::1", AddressKind.Private)]
    [InlineData("64:ff9b:1::a00:1", AddressKind.Private)]
    // Link-local
    [InlineData("169.254.1.1", AddressKind.LinkLocal)]
    [InlineData("fe80::1", AddressKind.LinkLocal)]
    [InlineData("fe80::1%2", AddressKind.LinkLocal)]
    // Shared address space (carrier-grade NAT, RFC 6598)
    [InlineData("100.64.0.1", AddressKind.SharedAddressSpace)]
    [InlineData("100.127.255.255", AddressKind.SharedAddressSpace)]
    // Cloud metadata services
    [InlineData("169.254.169.254", AddressKind.CloudMetadata)]
    [InlineData("169.254.170.2", AddressKind.CloudMetadata)]
    [InlineData("169.254.169.253", AddressKind.CloudMetadata)]
    [InlineData("169.254.0.23", AddressKind.CloudMetadata)]
    [InlineData("100.100.100.200", AddressKind.CloudMetadata)]
    [InlineData("192.0.0.192", AddressKind.CloudMetadata)]
    [InlineData("168.63.129.16", AddressKind.CloudMetadata)]
    [InlineData("fd00:ec2::254", AddressKind.CloudMetadata)]
    [InlineData("fd00:ec2::23", AddressKind.CloudMetadata)]
    // Multicast, unspecified, broadcast
    [InlineData("224.0.0.1", AddressKind.Multicast)]
    [InlineData("239.255.255.250", AddressKind.Multicast)]
    [InlineData("ff02::1", AddressKind.Multicast)]
    [InlineData("ff05::1:3", AddressKind.Multicast)]
    [InlineData("0.0.0.0", AddressKind.Unspecified)]
    [InlineData("0.1.2.3", AddressKind.Unspecified)]
    [InlineData("::", AddressKind.Unspecified)]
    [InlineData("255.255.255.255", AddressKind.Broadcast)]
    // Documentation and benchmarking
    [InlineData("192.0.2.1", AddressKind.Documentation)]
    [InlineData("198.51.100.1", AddressKind.Documentation)]
    [InlineData("203.0.113.254", AddressKind.Documentation)]
    [InlineData("2001:db8::1", AddressKind.Documentation)]
    [InlineData("3fff::1", AddressKind.Documentation)]
    [InlineData("198.18.0.1", AddressKind.Benchmarking)]
    [InlineData("198.19.255.255", AddressKind.Benchmarking)]
    [InlineData("2001:2::1", AddressKind.Benchmarking)]
    // Reserved: IETF assignments, the old 6to4 relay, class E, Teredo, discard-only, SRv6, unallocated IPv6
    [InlineData("192.0.0.8", AddressKind.Reserved)]
    [InlineData("192.88.99.1", AddressKind.Reserved)]
    [InlineData("240.0.0.1", AddressKind.Reserved)]
    [InlineData("255.255.255.254", AddressKind.Reserved)]
    [InlineData("2001::1", AddressKind.Reserved)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressKind.Reserved)]
    [InlineData("100::1", AddressKind.Reserved)]
    [InlineData("5f00::1", AddressKind.Reserved)]
    [InlineData("4000::1", AddressKind.Reserved)]
    [InlineData("::2", AddressKind.Reserved)]
    [InlineData("::127.0.0.1", AddressKind.Reserved)]
    // IPv4 inside IPv6: mapped, NAT64 (RFC 6052), 6to4 (RFC 3056)
    [InlineData("::ffff:127.0.0.1", AddressKind.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressKind.Private)]
    [InlineData("::ffff:169.254.169.254", AddressKind.CloudMetadata)]
    [InlineData("::ffff:8.8.8.8", AddressKind.Public)]
    [InlineData("64:ff9b::7f00:1", AddressKind.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressKind.CloudMetadata)]
    [InlineData("64:ff9b::c0a8:101", AddressKind.Private)]
    [InlineData("64:ff9b::808:808", AddressKind.Public)]
    [InlineData("2002:7f00:1::1", AddressKind.Loopback)]
    [InlineData("2002:c0a8:101::1", AddressKind.Private)]
    [InlineData("2002:a9fe:a9fe::", AddressKind.CloudMetadata)]
    [InlineData("2002:e000:1::", AddressKind.Multicast)]
    [InlineData("2002:808:808::1", AddressKind.Public)]
    // Public, including the neighbours of refused ranges
    [InlineData("8.8.8.8", AddressKind.Public)]
    [InlineData("1.1.1.1", AddressKind.Public)]
    [InlineData("9.255.255.255", AddressKind.Public)]
    [InlineData("11.0.0.0", AddressKind.Public)]
    [InlineData("100.63.255.255", AddressKind.Public)]
    [InlineData("100.128.0.0", AddressKind.Public)]
    [InlineData("126.255.255.255", AddressKind.Public)]
    [InlineData("128.0.0.0", AddressKind.Public)]
    [InlineData("169.253.255.255", AddressKind.Public)]
    [InlineData("172.15.255.255", AddressKind.Public)]
    [InlineData("172.32.0.0", AddressKind.Public)]
    [InlineData("192.167.255.255", AddressKind.Public)]
    [InlineData("192.169.0.0", AddressKind.Public)]
    [InlineData("198.17.255.255", AddressKind.Public)]
    [InlineData("198.20.0.0", AddressKind.Public)]
    [InlineData("223.255.255.255", AddressKind.Public)]
    [InlineData("168.63.129.17", AddressKind.Public)]
    [InlineData("2606:4700:4700::1111", AddressKind.Public)]
    [InlineData("2a00:1450:4001:80b::200e", AddressKind.Public)]
    [InlineData("2001:200::1", AddressKind.Public)]
    [InlineData("2001:db7:ffff::1", AddressKind.Public)]
    public void An_address_has_its_kind(string address, AddressKind expected)
    {
        Assert.Equal(expected, OutboundAddressPolicy.Classify(IPAddress.Parse(address)));
    }

    [Fact]
    public void Only_public_addresses_are_allowed_without_an_allow_list()
    {
        var policy = OutboundAddressPolicy.PublicOnly;

        Assert.True(policy.Check(IPAddress.Parse("8.8.8.8")).Allowed);
        Assert.True(policy.Check(IPAddress.Parse("2606:4700:4700::1111")).Allowed);
        Assert.All(Enum.GetValues<AddressKind>().Where(k => k != AddressKind.Public), kind => Assert.False(policy.Check(Sample(kind)).Allowed, kind.ToString()));
    }

    [Theory]
    [InlineData("127.0.0.1", "refused: internal.example.com resolves to a loopback address 127.0.0.1; not checked")]
    [InlineData("10.0.0.7", "refused: internal.example.com resolves to a private address 10.0.0.7; not checked")]
    [InlineData("169.254.169.254", "refused: internal.example.com resolves to a cloud metadata address 169.254.169.254; not checked")]
    [InlineData("::ffff:127.0.0.1", "refused: internal.example.com resolves to a loopback address ::ffff:127.0.0.1; not checked")]
    public void A_refusal_names_the_host_the_kind_and_the_address(string address, string sentence)
    {
        var decision = OutboundAddressPolicy.PublicOnly.Check(IPAddress.Parse(address));

        Assert.False(decision.Allowed);
        Assert.Equal(sentence, decision.Refusal("internal.example.com"));
    }

    private static IPAddress Sample(AddressKind kind) => IPAddress.Parse(kind switch
    {
        AddressKind.Unspecified => "0.0.0.0",
        AddressKind.Loopback => "127.0.0.1",
        AddressKind.Private => "192.168.0.1",
        AddressKind.SharedAddressSpace => "100.64.0.1",
        AddressKind.LinkLocal => "fe80::1",
        AddressKind.CloudMetadata => "169.254.169.254",
        AddressKind.Multicast => "224.0.0.1",
        AddressKind.Broadcast => "255.255.255.255",
        AddressKind.Documentation => "192.0.2.1",
        AddressKind.Benchmarking => "198.18.0.1",
        AddressKind.Reserved => "240.0.0.1",
        _ => "8.8.8.8",
    });
}
