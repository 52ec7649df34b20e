using System.Net;
using System.Net.Sockets;
using Portal.Core.Networking;
using Portal.Infrastructure.Health;

namespace Portal.Tests.Health;

/// <summary>
/// A routed connection (the sandbox's edge behind the address its DNS server gives every distribution) reaches the
/// routed port, and the address policy judges where the socket really goes, not the address that was asked for.
/// </summary>
public sealed class OutboundRoutesTests : IDisposable
{
    private static readonly IPAddress Published = IPAddress.Parse("127.77.0.1");
    private readonly TcpListener _edge = new(IPAddress.Loopback, 0);

    public OutboundRoutesTests() => _edge.Start();

    private int EdgePort => ((IPEndPoint)_edge.LocalEndpoint).Port;

    public void Dispose() => _edge.Dispose();

    [Fact]
    public async Task A_connection_to_a_routed_address_and_port_reaches_the_route()
    {
        var routes = new OutboundRoutes(new Dictionary<IPEndPoint, IPEndPoint> { [new(Published, 443)] = new(IPAddress.Loopback, EdgePort) });
        var connector = new OutboundConnector(OutboundAddressPolicy.FromSettings(["127.0.0.0/8"]), routes);

        using var socket = await connector.ConnectAsync(Published, 443, "docs.example.com", CancellationToken.None);
        using var accepted = await _edge.AcceptSocketAsync();

        Assert.Equal(EdgePort, ((IPEndPoint)socket.RemoteEndPoint!).Port);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)socket.RemoteEndPoint!).Address.MapToIPv4());
    }

    [Fact]
    public async Task The_policy_judges_the_routed_address()
    {
        // The asked-for address is public; the route leads to loopback, which the default policy refuses.
        var routes = new OutboundRoutes(new Dictionary<IPEndPoint, IPEndPoint> { [new(IPAddress.Parse("203.0.113.10"), 443)] = new(IPAddress.Loopback, EdgePort) });
        var connector = new OutboundConnector(OutboundAddressPolicy.FromSettings([]), routes);

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            connector.ConnectAsync(IPAddress.Parse("203.0.113.10"), 443, "docs.example.com", CancellationToken.None));

        Assert.Equal(IPAddress.Loopback, refused.Decision!.Address);
    }

    [Fact]
    public void Other_ports_of_a_routed_address_are_not_routed()
    {
        var routes = new OutboundRoutes(new Dictionary<IPEndPoint, IPEndPoint> { [new(Published, 443)] = new(IPAddress.Loopback, EdgePort) });

        var target = routes.Route(Published, 25);

        Assert.Equal(new IPEndPoint(Published, 25), target);
    }
}
