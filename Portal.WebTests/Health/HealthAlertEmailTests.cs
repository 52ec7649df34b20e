using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Health;

namespace Portal.Tests.Health;

/// <summary>
/// Alert emails go through the configured SMTP server (MailKit) with the summary as subject and the findings in the
/// body; a server that is down is logged, never thrown. The SMTP server is a receiver on loopback.
/// </summary>
public sealed class HealthAlertEmailTests
{
    private static readonly HealthAlert Alert = new("mail.example.test", HealthCheckKind.Mail, "mta-sts-broken",
        "MTA-STS for mail.example.test is broken: senders see no valid policy.", DateTimeOffset.UnixEpoch,
        [new Finding("mta-sts.record-missing", FindingSeverity.Error, "There is no v=STSv1 TXT record at _mta-sts.mail.example.test, so senders see no policy.")]);

    [Fact]
    public async Task An_alert_is_mailed_with_its_summary_and_findings()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = ReceiveOneMessageAsync(listener);
        await using var services = Build(port);

        foreach (var sink in services.GetServices<IAlertSink>())
        {
            await sink.SendAsync(Alert, CancellationToken.None);
        }

        var (envelope, message) = await received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["MAIL FROM:<portal@example.test>", "RCPT TO:<ops@example.test>"], envelope);
        using var mail = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(message)));
        Assert.Equal("[portal] MTA-STS for mail.example.test is broken: senders see no valid policy.", mail.Subject);
        Assert.Equal(["ops@example.test"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("MTA-STS for mail.example.test is broken: senders see no valid policy.\n\n"
            + "[Error] There is no v=STSv1 TXT record at _mta-sts.mail.example.test, so senders see no policy.", mail.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
    }

    [Fact]
    public async Task A_server_that_is_down_is_logged_not_thrown()
    {
        int port;
        using (var closed = new TcpListener(IPAddress.Loopback, 0))
        {
            closed.Start();
            port = ((IPEndPoint)closed.LocalEndpoint).Port;
        }

        await using var services = Build(port);
        var email = services.GetServices<IAlertSink>().OfType<EmailAlertSink>().Single();

        var error = await Record.ExceptionAsync(() => email.SendAsync(Alert, CancellationToken.None));

        Assert.Null(error);
    }

    private static ServiceProvider Build(int port)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alerts:Smtp:Host"] = "127.0.0.1",
            ["Alerts:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Smtp:Security"] = "None",
            ["Alerts:Smtp:From"] = "portal@example.test",
            ["Alerts:Smtp:To:0"] = "ops@example.test",
        }).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddPortalHealth().AddPortalHealthMonitoring().BuildServiceProvider();
    }

    /// <summary>Speaks just enough SMTP (RFC 5321) for one message and returns its envelope commands and data.</summary>
    private static async Task<(List<string> Envelope, string Message)> ReceiveOneMessageAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
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
                    envelope.Add(line.Split(' ', 2)[0].ToUpperInvariant() + " " + line.Split(' ', 2)[1].Split(' ')[0]);
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    while (await reader.ReadLineAsync() is { } data && data != ".")
                    {
                        message.AppendLine(data);
                    }

                    await writer.WriteLineAsync("250 Queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return (envelope, message.ToString());
                default:
                    await writer.WriteLineAsync("502 Not implemented");
                    break;
            }
        }

        return (envelope, message.ToString());
    }
}
