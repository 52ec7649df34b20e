using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Tests.Health;

/// <summary>
/// A DNS server on 127.0.0.1 (UDP) whose A answers a test scripts per name and per question: the n-th A question for a
/// name (counting from 0) gets <c>answer(name, n)</c>, so a name can change its answer between two lookups the way a
/// DNS rebinding attacker's server does. Every other question gets an empty NOERROR answer; no answer is cached (TTL 0).
/// </summary>
public sealed class ScriptedDnsServer : IAsyncDisposable
{
    private const ushort TypeA = 1;
    private readonly UdpClient udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Func<string, int, IReadOnlyList<IPAddress>> answer;
    private readonly ConcurrentDictionary<string, int> asked = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    /// <param name="answer">The A records for (name without the final dot, how many A questions for it came before).</param>
    public ScriptedDnsServer(Func<string, int, IReadOnlyList<IPAddress>> answer)
    {
        this.answer = answer;
        loop = Task.Run(ServeAsync);
    }

    /// <summary>A server that always gives the same addresses per name, and none for names not listed.</summary>
    public static ScriptedDnsServer Fixed(IReadOnlyDictionary<string, IPAddress> names) =>
        new((name, _) => names.TryGetValue(name, out var address) ? [address] : []);

    public IPEndPoint EndPoint => (IPEndPoint)udp.Client.LocalEndPoint!;

    /// <summary>How many A questions for <paramref name="name"/> were answered.</summary>
    public int AQuestions(string name) => asked.GetValueOrDefault(name);

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await udp.ReceiveAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (Respond(received.Buffer) is { } response)
            {
                await udp.SendAsync(response, received.RemoteEndPoint, stop.Token);
            }
        }
    }

    private byte[]? Respond(byte[] query)
    {
        if (query.Length < 12)
        {
            return null;
        }

        // The question: labels up to the root, then type and class (RFC 1035 section 4.1.2).
        var labels = new List<string>();
        var at = 12;
        while (at < query.Length && query[at] != 0)
        {
            var length = query[at];
            if (at + 1 + length > query.Length)
            {
                return null;
            }

            labels.Add(Encoding.ASCII.GetString(query, at + 1, length));
            at += 1 + length;
        }

        if (at + 5 > query.Length)
        {
            return null;
        }

        var questionEnd = at + 5;
        var type = (ushort)((query[at + 1] << 8) | query[at + 2]);
        var name = string.Join('.', labels).ToLowerInvariant();
        IReadOnlyList<IPAddress> records = [];
        if (type == TypeA)
        {
            var before = asked.AddOrUpdate(name, 1, (_, n) => n + 1) - 1;
            records = answer(name, before);
        }

        var response = new List<byte>();
        response.AddRange(query.AsSpan(0, 2).ToArray()); // id
        response.AddRange([0x81, 0x80]); // response, recursion desired and available, NOERROR
        response.AddRange([0, 1, 0, (byte)records.Count, 0, 0, 0, 0]);
        response.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var record in records)
        {
            var data = record.GetAddressBytes();
            response.AddRange([0xC0, 0x0C, 0, (byte)TypeA, 0, 1, 0, 0, 0, 0, 0, (byte)data.Length]);
            response.AddRange(data);
        }

        return [.. response];
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        udp.Dispose();
        await loop;
        stop.Dispose();
    }
}
