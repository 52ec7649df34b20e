using System.Net;
using System.Net.Sockets;
using Portal.Core.Networking;

namespace Portal.Infrastructure.Health;

/// <summary>A connection the outbound address policy refused; nothing was sent to the address.</summary>
public sealed class OutboundRefusedException : IOException
{
    public OutboundRefusedException()
    {
    }

    public OutboundRefusedException(string message)
        : base(message)
    {
    }

    public OutboundRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OutboundRefusedException(string host, OutboundDecision decision)
        : base((decision ?? throw new ArgumentNullException(nameof(decision))).Refusal(host))
    {
        Decision = decision;
    }

    public OutboundDecision? Decision { get; }

    /// <summary>The refusal behind <paramref name="exception"/>, which HttpClient wraps in its own exception.</summary>
    public static OutboundRefusedException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}

/// <summary>
/// The one place the checks open TCP connections. The policy is applied to the very addresses the socket connects to,
/// right before connecting, so an answer that changed since the checker looked (DNS rebinding) is judged too.
/// </summary>
public sealed class OutboundConnector(OutboundAddressPolicy policy, OutboundRoutes? routes = null)
{
    private readonly OutboundRoutes _routes = routes ?? OutboundRoutes.Direct;

    public OutboundAddressPolicy Policy => policy;

    /// <summary>Connects to <paramref name="address"/> if the policy allows it; otherwise throws <see cref="OutboundRefusedException"/>.</summary>
    public Task<Socket> ConnectAsync(IPAddress address, int port, string host, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ConnectAsync([address], port, host, ct);
    }

    /// <summary>
    /// Connects to the first of <paramref name="addresses"/> that answers, trying only those the policy allows; throws
    /// <see cref="OutboundRefusedException"/> for the first address when it allows none.
    /// </summary>
    public async Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, string host, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfZero(addresses.Count);

        // The policy judges where the socket really goes, after any route.
        var targets = addresses.Select(a => _routes.Route(a, port)).ToList();
        var decisions = targets.Select(t => policy.Check(t.Address)).ToList();
        var allowed = targets.Where((_, i) => decisions[i].Allowed).ToArray();
        if (allowed.Length == 0)
        {
            throw new OutboundRefusedException(host, decisions[0]);
        }

        // Dual mode, so one socket can try IPv4 and IPv6 addresses in turn.
        var socket = allowed.All(a => a.AddressFamily == AddressFamily.InterNetwork)
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (allowed.All(t => t.Port == port))
            {
                await socket.ConnectAsync(allowed.Select(t => t.Address).ToArray(), port, ct);
                return socket;
            }

            // Routed endpoints may differ in port: tried one after another, as the address list is.
            for (var i = 0; ; i++)
            {
                try
                {
                    await socket.ConnectAsync(allowed[i], ct);
                    return socket;
                }
                catch (SocketException) when (i < allowed.Length - 1)
                {
                    socket.Dispose();
                    socket = new Socket(allowed[i + 1].AddressFamily == AddressFamily.InterNetwork ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6,
                        SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                }
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
