using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Health;
using Portal.Core.Notifications;
using Portal.Health;
using Portal.Infrastructure.Notifications;
using Portal.Notifications;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>
/// A health alert with <c>Alerts:Smtp</c> set is queued in the notification outbox for each <c>Alerts:Smtp:To</c>
/// address (no person behind it), not sent by the scan: the dispatcher mails it through the configured server, retries
/// after the server first refuses, and sends it once even with two dispatchers. The SMTP server is a receiver on loopback.
/// </summary>
public sealed class HealthAlertEmailTests
{
    private static readonly HealthAlert Alert = new("mail.example.test", HealthCheckKind.Mail, "mta-sts-broken",
        "MTA-STS for mail.example.test is broken: senders see no valid policy.", DateTimeOffset.UnixEpoch,
        [new Finding("mta-sts.record-missing", FindingSeverity.Error, "There is no v=STSv1 TXT record at _mta-sts.mail.example.test, so senders see no policy.")]);

    [Fact]
    public async Task An_alert_is_queued_then_mailed_with_its_summary_and_findings_after_the_server_first_refuses()
    {
        using var server = new SmtpReceiver(refuseFirst: 1);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        await using var services = await BuildAsync(server.Port, clock);

        foreach (var sink in services.GetServices<IAlertSink>())
        {
            await sink.SendAsync(Alert, CancellationToken.None);
        }

        var queued = Assert.Single(await DeliveriesAsync(services));
        Assert.Equal((NotificationKind.HealthBad, NotificationChannel.Email, "ops@example.test", null, DeliveryStatus.Pending),
            (queued.Kind, queued.Channel, queued.Recipient, queued.PersonId, queued.Status));
        Assert.Equal(0, server.Connections);

        var first = await services.GetRequiredService<NotificationDispatcher>().SendDueAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        var second = await services.GetRequiredService<NotificationDispatcher>().SendDueAsync();
        clock.Advance(TimeSpan.FromMinutes(10));
        var third = await services.GetRequiredService<NotificationDispatcher>().SendDueAsync();

        Assert.Equal((0, 1), (first.Sent, first.Retrying));
        Assert.Equal((1, 0), (second.Sent, second.Retrying));
        Assert.Equal((0, 0), (third.Sent, third.Retrying));
        var delivery = Assert.Single(await DeliveriesAsync(services));
        Assert.Equal((DeliveryStatus.Sent, 2), (delivery.Status, delivery.Attempts));
        var (envelope, message) = Assert.Single(server.Messages);
        Assert.Equal(["MAIL FROM:<portal@example.test>", "RCPT TO:<ops@example.test>"], envelope);
        using var mail = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(message)));
        Assert.Equal("[portal] Health: mail.example.test", mail.Subject);
        Assert.Equal(["ops@example.test"], mail.To.Mailboxes.Select(m => m.Address));
        var body = mail.TextBody!.ReplaceLineEndings("\n");
        Assert.StartsWith("MTA-STS for mail.example.test is broken: senders see no valid policy.\n\n"
            + "[Error] There is no v=STSv1 TXT record at _mta-sts.mail.example.test, so senders see no policy.\n\nOpen: https://portal.example.test/health", body);
    }

    [Fact]
    public async Task Two_dispatchers_mail_an_alert_once()
    {
        using var server = new SmtpReceiver(refuseFirst: 0);
        await using var services = await BuildAsync(server.Port, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(1)));
        foreach (var sink in services.GetServices<IAlertSink>())
        {
            await sink.SendAsync(Alert, CancellationToken.None);
        }

        var one = ActivatorUtilities.CreateInstance<NotificationDispatcher>(services);
        var other = ActivatorUtilities.CreateInstance<NotificationDispatcher>(services);
        var results = await Task.WhenAll(one.SendDueAsync(), other.SendDueAsync(), one.SendDueAsync(), other.SendDueAsync());

        Assert.Equal(1, results.Sum(r => r.Sent));
        Assert.Single(server.Messages);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(await DeliveriesAsync(services)).Status);
    }

    private static async Task<ServiceProvider> BuildAsync(int port, TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alerts:Smtp:Host"] = "127.0.0.1",
            ["Alerts:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Smtp:Security"] = "None",
            ["Alerts:Smtp:From"] = "portal@example.test",
            ["Alerts:Smtp:To:0"] = "ops@example.test",
            ["Notifications:PublicBaseUrl"] = "https://portal.example.test/",
        }).Build();
        var database = await TestDatabases.SqliteAsync();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton(clock).AddSingleton(database).AddLogging()
            .AddPortalHealth().AddPortalHealthMonitoring().AddPortalNotifications().BuildServiceProvider();
    }

    private static async Task<List<NotificationDelivery>> DeliveriesAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<Portal.Infrastructure.Persistence.PortalDbContext>>().CreateDbContextAsync();
        return await db.NotificationDeliveries.AsNoTracking().ToListAsync();
    }

    /// <summary>
    /// Speaks just enough SMTP (RFC 5321) to take messages, each with its envelope commands and data; the first
    /// <c>refuseFirst</c> connections get a 421 greeting (service not available) and are closed.
    /// </summary>
    private sealed class SmtpReceiver : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _refuse;
        private int _connections;

        public SmtpReceiver(int refuseFirst)
        {
            _refuse = refuseFirst;
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _loop = Task.Run(LoopAsync);
        }

        public int Port { get; }

        public int Connections => Volatile.Read(ref _connections);

        public ConcurrentQueue<(List<string> Envelope, string Message)> Messages { get; } = new();

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            _stop.Dispose();
        }

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _connections);
                using (client)
                {
                    try
                    {
                        await ServeAsync(client, refuse: Interlocked.Decrement(ref _refuse) >= 0);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }

        private async Task ServeAsync(TcpClient client, bool refuse)
        {
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            if (refuse)
            {
                await writer.WriteLineAsync("421 receiver.test Service not available, try again later");
                return;
            }

            var envelope = new List<string>();
            var message = new StringBuilder();
            await writer.WriteLineAsync("220 receiver.test ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 receiver.test");
                        break;
                    case "MAIL" or "RCPT":
                        envelope.Add(verb + " " + line.Split(' ', 2)[1].Split(' ')[0]);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        while (await reader.ReadLineAsync() is { } data && data != ".")
                        {
                            message.AppendLine(data);
                        }

                        Messages.Enqueue((envelope, message.ToString()));
                        await writer.WriteLineAsync("250 Queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Not implemented");
                        break;
                }
            }
        }
    }
}
