using System.Net;
using Portal.Core.Networking;

namespace Portal.Tests.Networking;

/// <summary>
/// <c>Health:AllowedNetworks</c> opens refused ranges network by network; a cloud metadata address only when an entry
/// names exactly that address, so allowing a whole range (link-local, CGNAT, a ULA block) never exposes it.
/// </summary>
public sealed class AllowedNetworksTests
{
    [Theory]
    [InlineData("10.231.0.0/16", "10.231.5.9", true)]
    [InlineData("10.231.0.0/16", "::ffff:10.231.5.9", true)]
    [InlineData("10.231.0.0/16", "10.232.0.1", false)]
    [InlineData("10.231.0.0/16", "127.0.0.1", false)]
    [InlineData("127.0.0.0/8", "127.0.0.1", true)]
    [InlineData("127.0.0.0/8", "::1", false)]
    [InlineData("127.0.0.2", "127.0.0.2", true)]
    [InlineData("127.0.0.2", "127.0.0.1", false)]
    [InlineData("fd0a:231::/32", "fd0a:231:7:1::4", true)]
    [InlineData("fd0a:231::/32", "fd0b::1", false)]
    [InlineData("fe80::/10", "fe80::1%3", true)]
    [InlineData("169.254.0.0/16", "169.254.1.1", true)]
    [InlineData("169.254.0.0/16", "169.254.169.254", false)]
    [InlineData("100.64.0.0/10", "100.100.100.200", false)]
    [InlineData("fd00::/8", "fd00:ec2::254", false)]
    [InlineData("0.0.0.0/0", "169.254.169.254", false)]
    [InlineData("0.0.0.0/0", "192.168.1.1", true)]
    [InlineData("169.254.169.254", "169.254.169.254", true)]
    [InlineData("169.254.169.254/32", "::ffff:169.254.169.254", true)]
    [InlineData("fd00:ec2::254/128", "fd00:ec2::254", true)]
    public void An_allowed_network_opens_its_addresses_and_no_others(string network, string address, bool allowed)
    {
        var policy = OutboundAddressPolicy.FromSettings([network]);

        Assert.Equal(allowed, policy.Check(IPAddress.Parse(address)).Allowed);
    }

    [Fact]
    public void An_allowed_network_keeps_public_addresses_allowed()
    {
        var policy = OutboundAddressPolicy.FromSettings(["10.0.0.0/8"]);

        Assert.True(policy.Check(IPAddress.Parse("8.8.8.8")).Allowed);
    }

    [Fact]
    public void An_entry_that_is_no_network_fails_naming_the_setting()
    {
        var error = Assert.Throws<FormatException>(() => OutboundAddressPolicy.FromSettings(["10.0.0.0/8", "10.0.0.0/33"]));

        Assert.Equal("Health:AllowedNetworks: '10.0.0.0/33' has a prefix length that is not a number from 0 to 32.", error.Message);
    }
}
