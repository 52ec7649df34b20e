using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Reads the sockets bound in another process's network namespace from <c>/proc/PID/net</c>, so readiness is
/// known without sending a single packet to the server being started.
/// </summary>
internal static class ListeningSockets
{
    private const string TcpListen = "0A";
    private const string UdpBound = "07";

    public static bool AllBound(int pid, IEnumerable<IPEndPoint> tcp, IEnumerable<IPEndPoint> udp)
    {
        var tcpBound = Read(pid, "tcp", TcpListen).Concat(Read(pid, "tcp6", TcpListen)).ToHashSet();
        var udpBound = Read(pid, "udp", UdpBound).Concat(Read(pid, "udp6", UdpBound)).ToHashSet();
        return tcp.All(tcpBound.Contains) && udp.All(udpBound.Contains);
    }

    private static IEnumerable<IPEndPoint> Read(int pid, string table, string state)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{pid}/net/{table}");
        }
        catch (IOException)
        {
            yield break;
        }
        catch (UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] != state)
            {
                continue;
            }

            var local = fields[1].Split(':');
            var port = int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            yield return new IPEndPoint(ParseAddress(local[0]), port);
        }
    }

    /// <summary>The kernel prints each 32-bit word of the address as a number in host byte order.</summary>
    private static IPAddress ParseAddress(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            var value = uint.Parse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            // GetBytes yields memory order, which is the order the address bytes had in the kernel.
            BitConverter.GetBytes(value).CopyTo(bytes, word * 4);
        }

        var address = new IPAddress(bytes);
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
