using System.Net;

namespace Portal.Infrastructure.Health;

/// <summary>
/// Where a connection to an address and port really goes. Direct everywhere but in sandbox mode, whose edge serves the
/// deployed distributions on loopback ports of its own: its DNS server answers every distribution name with one
/// address, and connections to that address on 443 and 80 are sent to the edge's HTTPS and HTTP ports, so the checks
/// test exactly what a browser would reach.
/// </summary>
public sealed class OutboundRoutes(IReadOnlyDictionary<IPEndPoint, IPEndPoint> routes)
{
    public static OutboundRoutes Direct { get; } = new(new Dictionary<IPEndPoint, IPEndPoint>());

    public IPEndPoint Route(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        var from = new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port);
        return routes.TryGetValue(from, out var to) ? to : new IPEndPoint(address, port);
    }
}
