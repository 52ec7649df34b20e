using System.ComponentModel.DataAnnotations;
using System.Net.Http.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Core.Health;
using Portal.Infrastructure.Health;

namespace Portal.Health;

/// <summary>Settings of the <c>Alerts</c> section. Both channels are optional.</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string SectionName = "Alerts";

    /// <summary>Receives a JSON POST per alert.</summary>
    public Uri? WebhookUrl { get; set; }

    public SmtpAlertOptions Smtp { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookUrl is not null && (!WebhookUrl.IsAbsoluteUri || (WebhookUrl.Scheme != Uri.UriSchemeHttps && WebhookUrl.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new("Alerts:WebhookUrl must be an absolute http(s) URL.", [nameof(WebhookUrl)]);
        }

        if (!string.IsNullOrWhiteSpace(Smtp.Host) && (string.IsNullOrWhiteSpace(Smtp.From) || Smtp.To.Count == 0))
        {
            yield return new("Alerts:Smtp:From and Alerts:Smtp:To are required when Alerts:Smtp:Host is set.", [nameof(Smtp)]);
        }
    }
}

public sealed class SmtpAlertOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>StartTls (default), SslOnConnect or None (a relay on localhost).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    public IList<string> To { get; init; } = [];
}

/// <summary>Posts each alert as JSON to the configured webhook.</summary>
internal sealed partial class WebhookAlertSink(HttpClient http, IOptions<AlertOptions> options, ILogger<WebhookAlertSink> logger) : IAlertSink
{
    public async Task SendAsync(HealthAlert alert, CancellationToken ct)
    {
        if (options.Value.WebhookUrl is not { } url)
        {
            return;
        }

        try
        {
            using var response = await http.PostAsJsonAsync(url, new
            {
                alert.Name,
                Kind = alert.Kind.ToString().ToLowerInvariant(),
                alert.Condition,
                alert.Summary,
                alert.At,
                Findings = alert.Findings.Select(f => new { f.Id, Severity = f.Severity.ToString().ToLowerInvariant(), f.Message, f.Reference }),
            }, ct);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, url, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogFailed(logger, url, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook {Url} answered {Status}")]
    private static partial void LogRefused(ILogger logger, Uri url, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook {Url} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Uri url, string reason);
}

/// <summary>Sends each alert by email through the configured SMTP server (MailKit).</summary>
internal sealed partial class EmailAlertSink(IOptions<AlertOptions> options, ILogger<EmailAlertSink> logger) : IAlertSink
{
    public async Task SendAsync(HealthAlert alert, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            return;
        }

        try
        {
            using var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(smtp.From ?? ""));
            foreach (var to in smtp.To)
            {
                message.To.Add(MailboxAddress.Parse(to));
            }

            message.Subject = $"[portal] {alert.Summary}";
            message.Body = new TextPart("plain")
            {
                Text = alert.Summary + "\n\n" + string.Join("\n", alert.Findings.Select(f => $"[{f.Severity}] {f.Message}")),
            };

            using var client = new SmtpClient();
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, ct);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception ex) when (ex is IOException or MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException
            or AuthenticationException or SslHandshakeException or ParseException or TimeoutException
            || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogFailed(logger, smtp.Host, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert email through {Host} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string host, string reason);
}
