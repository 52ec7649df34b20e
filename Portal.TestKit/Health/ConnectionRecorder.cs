using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Health;

/// <summary>A TCP listener that accepts and counts connections and closes each at once: proof of whether anyone connected.</summary>
public sealed class ConnectionRecorder : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly Task loop;
    private int connections;

    public ConnectionRecorder(IPAddress address, int port = 0)
    {
        listener = new TcpListener(address, port);
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndpoint;

    public int Port => EndPoint.Port;

    public int Connections => Volatile.Read(ref connections);

    private async Task AcceptAsync()
    {
        while (true)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref connections);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        await loop;
    }
}
