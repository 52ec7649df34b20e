using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Portal.Health;

/// <summary>
/// Settings of the <c>Alerts</c> section, kept from before notifications existed. Both are optional; neither sends
/// anything itself: they are mapped onto notification channels (see AddPortalNotifications), so health alerts are
/// queued, retried and sent once like every notification.
/// </summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string SectionName = "Alerts";

    /// <summary>The name <see cref="WebhookUrl"/> has among the notification webhooks (shown on failed deliveries).</summary>
    public const string WebhookChannelName = "Alerts:WebhookUrl";

    /// <summary>Receives a JSON POST per alert: a notification webhook in the <c>Json</c> format taking only health events.</summary>
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
