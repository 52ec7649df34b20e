using System.Net.Http.Headers;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Core.Notifications;
using Portal.Infrastructure.Notifications;

namespace Portal.Notifications;

/// <summary>
/// Mails a delivery through <c>Notifications:Smtp</c> (which takes the health alerts' server, <c>Alerts:Smtp</c>, when it
/// names no host of its own).
/// </summary>
internal sealed class SmtpNotificationTransport(IOptions<NotificationOptions> options) : INotificationTransport
{
    public NotificationChannel Channel => NotificationChannel.Email;

    public async Task<SendOutcome> SendAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        var (host, port, security, username, password, from) = Server();
        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(from))
        {
            return SendOutcome.Failed("No SMTP server is configured (Notifications:Smtp:Host).");
        }

        try
        {
            using var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(from));
            message.To.Add(MailboxAddress.Parse(delivery.Recipient));
            message.Subject = $"[portal] {delivery.Title}";
            message.Body = new TextPart("plain") { Text = delivery.Message.EmailBody };
            using var client = new SmtpClient();
            await client.ConnectAsync(host, port, security, ct);
            if (!string.IsNullOrEmpty(username))
            {
                await client.AuthenticateAsync(username, password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
            return SendOutcome.Ok;
        }
        catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException
            or AuthenticationException or SslHandshakeException or ParseException or TimeoutException
            || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return SendOutcome.Failed($"SMTP {host}:{port}: {ex.Message}");
        }
    }

    private (string? Host, int Port, SecureSocketOptions Security, string? Username, string? Password, string? From) Server()
    {
        var own = options.Value.Smtp;
        var security = own.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        return (own.Host, own.Port, security, own.Username, own.Password, own.From);
    }
}

/// <summary>Posts a delivery to the configured webhook of its name, in that webhook's format (Slack, Teams or plain JSON).</summary>
internal sealed class WebhookNotificationTransport(HttpClient http, IOptions<NotificationOptions> options) : INotificationTransport
{
    public NotificationChannel Channel => NotificationChannel.Webhook;

    public async Task<SendOutcome> SendAsync(NotificationDelivery delivery, CancellationToken ct)
    {
        var hook = options.Value.Webhooks.FirstOrDefault(h => string.Equals(h.Name, delivery.Recipient, StringComparison.OrdinalIgnoreCase));
        if (hook?.Url is not { } url)
        {
            return SendOutcome.Failed($"The webhook '{delivery.Recipient}' is no longer configured (Notifications:Webhooks).");
        }

        var payload = hook.Format switch
        {
            WebhookFormat.Teams => WebhookPayloads.Teams(delivery.Message),
            WebhookFormat.Json => WebhookPayloads.Json(delivery.Message, delivery.Data),
            _ => WebhookPayloads.Slack(delivery.Message),
        };
        try
        {
            using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var response = await http.PostAsync(url, content, ct);
            return response.IsSuccessStatusCode
                ? SendOutcome.Ok
                : SendOutcome.Failed($"Webhook '{hook.Name}' answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return SendOutcome.Failed($"Webhook '{hook.Name}': {ex.Message}");
        }
    }
}
