using System.Net;
using Portal.Core.Networking;

namespace Portal.Tests.Networking;

/// <summary>One allow-list entry: CIDR or a single address, read strictly, with a message saying what is wrong.</summary>
public sealed class AllowedNetworkEntryTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", 8)]
    [InlineData(" 192.168.0.0/16 ", "192.168.0.0", 16)]
    [InlineData("127.0.0.1", "127.0.0.1", 32)]
    [InlineData("fd00::/8", "fd00::", 8)]
    [InlineData("::1", "::1", 128)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    public void A_network_or_single_address_is_read(string text, string baseAddress, int prefix)
    {
        Assert.True(OutboundAddressPolicy.TryParseNetwork(text, out var network, out var problem), problem);
        Assert.Equal((IPAddress.Parse(baseAddress), prefix), (network.BaseAddress, network.PrefixLength));
    }

    [Theory]
    [InlineData("10.0.0.0/33", "'10.0.0.0/33' has a prefix length that is not a number from 0 to 32.")]
    [InlineData("fd00::/129", "'fd00::/129' has a prefix length that is not a number from 0 to 128.")]
    [InlineData("10.0.0.0/", "'10.0.0.0/' has a prefix length that is not a number from 0 to 32.")]
    [InlineData("10.0.0.0/-1", "'10.0.0.0/-1' has a prefix length that is not a number from 0 to 32.")]
    [InlineData("10.0.0.0/8/9", "'10.0.0.0/8/9' has a prefix length that is not a number from 0 to 32.")]
    [InlineData("10.1.2.3/8", "'10.1.2.3/8' has bits set past its /8 prefix; the network is 10.0.0.0/8.")]
    [InlineData("fd00::1/8", "'fd00::1/8' has bits set past its /8 prefix; the network is fd00::/8.")]
    [InlineData("intranet", "'intranet' is not a network in CIDR notation such as 10.20.0.0/16 or fd00:1234::/48, nor a single address.")]
    [InlineData("10.1/16", "'10.1/16' is not a network in CIDR notation such as 10.20.0.0/16 or fd00:1234::/48, nor a single address.")]
    [InlineData("", "'' is not a network in CIDR notation such as 10.20.0.0/16 or fd00:1234::/48, nor a single address.")]
    [InlineData("fe80::1%eth0", "'fe80::1%eth0' is not a network in CIDR notation such as 10.20.0.0/16 or fd00:1234::/48, nor a single address.")]
    public void Anything_else_is_refused_with_the_reason(string text, string message)
    {
        Assert.False(OutboundAddressPolicy.TryParseNetwork(text, out _, out var problem));
        Assert.Equal(message, problem);
    }
}
