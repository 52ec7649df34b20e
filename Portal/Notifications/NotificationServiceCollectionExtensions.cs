using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Core.Notifications;
using Portal.Health;
using Portal.Identity.Settings;
using Portal.Infrastructure.Notifications;

namespace Portal.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>The notification outbox, its dispatcher (email and webhooks) and the background worker that runs both.</summary>
    public static IServiceCollection AddPortalNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Links point at the portal's public origin unless notifications name their own base URL.
        services.AddOptions<NotificationOptions>().PostConfigure<IOptions<PortalAuthenticationOptions>>((o, identity) =>
            o.PublicBaseUrl ??= Uri.TryCreate(identity.Value.PublicOrigin, UriKind.Absolute, out var origin) ? origin : new Uri(PortalOrigin.DefaultLocalOrigin));

        // The health alerts' settings are channels of this one system: Alerts:WebhookUrl is a webhook in the plain JSON
        // format taking health events, Alerts:Smtp:To fixed addresses for them, and a portal configured for health
        // alerts mails notifications through the same server without a second setting.
        services.AddOptions<NotificationOptions>().PostConfigure<IOptions<AlertOptions>>((o, alerts) =>
        {
            if (alerts.Value.WebhookUrl is { } url && !o.Webhooks.Any(h => string.Equals(h.Name, AlertOptions.WebhookChannelName, StringComparison.OrdinalIgnoreCase)))
            {
                o.Webhooks.Add(new NotificationWebhookOptions { Name = AlertOptions.WebhookChannelName, Url = url, Format = WebhookFormat.Json, Kinds = { NotificationKind.HealthBad } });
            }

            foreach (var to in alerts.Value.Smtp.To.Where(t => !o.HealthAlertEmails.Contains(t, StringComparer.OrdinalIgnoreCase)))
            {
                o.HealthAlertEmails.Add(to);
            }

            var alert = alerts.Value.Smtp;
            if (string.IsNullOrWhiteSpace(o.Smtp.Host) && !string.IsNullOrWhiteSpace(alert.Host))
            {
                o.Smtp = new NotificationSmtpOptions
                {
                    Host = alert.Host, Port = alert.Port, Username = alert.Username, Password = alert.Password, From = alert.From,
                    Security = alert.Security switch
                    {
                        MailKit.Security.SecureSocketOptions.SslOnConnect => SmtpSecurity.SslOnConnect,
                        MailKit.Security.SecureSocketOptions.None => SmtpSecurity.None,
                        _ => SmtpSecurity.StartTls,
                    },
                };
            }
        });
        services.AddOptions<AlertOptions>()
            .BindConfiguration(AlertOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<NotificationPeople>();
        services.AddSingleton<INotificationTransport, SmtpNotificationTransport>();
        services.AddHttpClient<WebhookNotificationTransport>(client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<INotificationTransport>(sp => sp.GetRequiredService<WebhookNotificationTransport>());
        services.AddSingleton<IAlertSink, NotificationAlertSink>();
        services.AddHostedService<NotificationWorker>();
        return services;
    }
}
