using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Portal.Tests.Notifications;

/// <summary>An HTTP receiver on loopback that records each JSON body posted to it and answers with the next scripted status.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<HttpStatusCode> _script = new();
    private readonly Task _loop;

    public WebhookReceiver(params HttpStatusCode[] answers)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }

        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    public ConcurrentQueue<(string ContentType, JsonNode Body)> Received { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            Received.Enqueue((context.Request.ContentType ?? "", JsonNode.Parse(body)!));
            context.Response.StatusCode = (int)(_script.TryDequeue(out var status) ? status : HttpStatusCode.OK);
            context.Response.Close();
        }
    }
}
