using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Portal.LocalCloud.Route53;

namespace Portal.LocalCloud.Dns;

/// <summary>
/// An authoritative DNS server on 127.0.0.1, UDP and TCP on one port, for every public hosted zone of the local
/// Route53 (<see cref="ZoneAnswers"/>); zones are read at each question, so a change shows at once. Recursion is not
/// offered: a question outside the zones is refused, never sent on.
/// </summary>
public sealed class LocalDnsServer : IAsyncDisposable, IDisposable
{
    private const int TimeoutMs = 5000;
    private const int TcpKeepAliveMs = 5000;

    private readonly DnsServer _server;
    private readonly Func<IReadOnlyList<Route53Service>> _accounts;
    private readonly DnsOptions _options;

    private LocalDnsServer(DnsServer server, Func<IReadOnlyList<Route53Service>> accounts, DnsOptions options, int port)
    {
        _server = server;
        _accounts = accounts;
        _options = options;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static LocalDnsServer Start(DnsOptions options, Route53Service route53)
    {
        ArgumentNullException.ThrowIfNull(route53);
        return Start(options, () => [route53]);
    }

    /// <summary>
    /// Answers for the zones of several accounts' Route53, read at each question (accounts may appear later). Two
    /// accounts may hold a zone of the same name, as the sandbox's registered accounts do: the first account with
    /// records for the name answers, the first account's zone otherwise.
    /// </summary>
    public static LocalDnsServer Start(DnsOptions options, Func<IReadOnlyList<Route53Service>> accounts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(accounts);
        var port = options.Port == 0 ? FreePort() : options.Port;
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var server = new DnsServer(new UdpServerTransport(endpoint, TimeoutMs), new TcpServerTransport(endpoint, TimeoutMs, TcpKeepAliveMs));
        var local = new LocalDnsServer(server, accounts, options, port);
        server.QueryReceived += local.OnQueryReceived;
        server.Start();
        return local;
    }

    public void Dispose() => _server.Stop();

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        return ValueTask.CompletedTask;
    }

    private Task OnQueryReceived(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
        {
            return Task.CompletedTask;
        }

        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            e.Response = response;
            return Task.CompletedTask;
        }

        var answers = _accounts().Select(r => ZoneAnswers.Answer(r.Zones(), query.Questions[0], _options)).ToList();
        var answer = answers.FirstOrDefault(a => a.Answers.Count > 0)
            ?? answers.FirstOrDefault(a => a.Code == ReturnCode.NoError)
            ?? answers.FirstOrDefault(a => a.Code != ReturnCode.Refused)
            ?? new ZoneAnswer(ReturnCode.Refused, false, [], []);
        response.ReturnCode = answer.Code;
        response.IsAuthoritiveAnswer = answer.Authoritative;
        response.AnswerRecords.AddRange(answer.Answers);
        response.AuthorityRecords.AddRange(answer.Authority);
        e.Response = response;
        return Task.CompletedTask;
    }

    // A port free for both protocols at this moment: a TCP listener takes one from the system, and UDP must bind it too.
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken for UDP; try another.
            }
            finally
            {
                tcp.Stop();
            }
        }

        throw new InvalidOperationException("No port on 127.0.0.1 is free for both UDP and TCP.");
    }
}
