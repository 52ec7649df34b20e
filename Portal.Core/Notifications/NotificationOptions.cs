using System.ComponentModel.DataAnnotations;

namespace Portal.Core.Notifications;

/// <summary>Settings of the <c>Notifications</c> section: where links point, how mail is sent, the team webhooks, retries.</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string SectionName = "Notifications";

    /// <summary>The portal's address as people reach it (behind the load balancer); every link in a message starts with it.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public NotificationSmtpOptions Smtp { get; set; } = new();

    public IList<NotificationWebhookOptions> Webhooks { get; init; } = [];

    /// <summary>
    /// Fixed email addresses told of every "health turned bad" event, besides the people concerned (the health alerts'
    /// <c>Alerts:Smtp:To</c> is mapped here).
    /// </summary>
    public IList<string> HealthAlertEmails { get; init; } = [];

    /// <summary>How often the dispatcher looks for new events and due deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "Notifications:PollInterval must be between 50 ms and one hour.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 50, ErrorMessage = "Notifications:MaxAttempts must be between 1 and 50.")]
    public int MaxAttempts { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Notifications:FirstRetryDelay must be between one second and one day.")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Notifications:MaxRetryDelay must be between one second and seven days.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    public RetrySchedule Retries => new(MaxAttempts, FirstRetryDelay, MaxRetryDelay);

    /// <summary>Whether email can be sent at all: without a server and a sender, no email delivery is created (none would ever succeed).</summary>
    public bool EmailConfigured => !string.IsNullOrWhiteSpace(Smtp.Host) && !string.IsNullOrWhiteSpace(Smtp.From);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrl is not null && (!PublicBaseUrl.IsAbsoluteUri || (PublicBaseUrl.Scheme != Uri.UriSchemeHttps && PublicBaseUrl.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new("Notifications:PublicBaseUrl must be an absolute http(s) URL.", [nameof(PublicBaseUrl)]);
        }

        if (!string.IsNullOrWhiteSpace(Smtp.Host) && string.IsNullOrWhiteSpace(Smtp.From))
        {
            yield return new("Notifications:Smtp:From is required when Notifications:Smtp:Host is set.", [nameof(Smtp)]);
        }

        if (Smtp.Port is < 1 or > 65535)
        {
            yield return new("Notifications:Smtp:Port must be between 1 and 65535.", [nameof(Smtp)]);
        }

        if (MaxRetryDelay < FirstRetryDelay)
        {
            yield return new("Notifications:MaxRetryDelay must not be shorter than Notifications:FirstRetryDelay.", [nameof(MaxRetryDelay)]);
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var hook = Webhooks[i];
            if (string.IsNullOrWhiteSpace(hook.Name) || hook.Name.Length > 64)
            {
                yield return new($"Notifications:Webhooks:{i}:Name is required (at most 64 characters).", [nameof(Webhooks)]);
            }
            else if (!names.Add(hook.Name))
            {
                yield return new($"Notifications:Webhooks:{i}:Name '{hook.Name}' is used twice.", [nameof(Webhooks)]);
            }

            if (hook.Url is null || !hook.Url.IsAbsoluteUri || (hook.Url.Scheme != Uri.UriSchemeHttps && hook.Url.Scheme != Uri.UriSchemeHttp))
            {
                yield return new($"Notifications:Webhooks:{i}:Url must be an absolute http(s) URL.", [nameof(Webhooks)]);
            }
        }
    }
}

/// <summary>The SMTP server notifications are mailed through. Unset, the <c>Alerts:Smtp</c> server is used, if any.</summary>
public sealed class NotificationSmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>StartTls (default), SslOnConnect or None (a relay on localhost).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }
}

public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    None,
}

/// <summary>A team channel: Slack or Teams incoming webhook, and which kinds it receives (all when empty).</summary>
public sealed class NotificationWebhookOptions
{
    public string Name { get; set; } = "";

    public Uri? Url { get; set; }

    public WebhookFormat Format { get; set; } = WebhookFormat.Slack;

    public IList<NotificationKind> Kinds { get; init; } = [];

    public bool Receives(NotificationKind kind) => Kinds.Count == 0 || Kinds.Contains(kind);
}

public enum WebhookFormat
{
    Slack,
    Teams,

    /// <summary>Plain JSON for scripts and alert managers: a health alert keeps the shape <c>Alerts:WebhookUrl</c> always had.</summary>
    Json,
}
