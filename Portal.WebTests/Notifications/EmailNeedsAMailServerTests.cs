using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Core.Notifications;
using Portal.Notifications;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

/// <summary>
/// Email is sent only where a mail server is configured: without one, no email delivery is created (none could ever
/// succeed, and admins would see every event fail); the health alerts' server (Alerts:Smtp) serves when
/// Notifications:Smtp names none.
/// </summary>
public sealed class EmailNeedsAMailServerTests
{
    [Fact]
    public async Task Without_a_mail_server_no_email_is_queued_and_with_one_it_is()
    {
        Assert.Equal(0, await EmailsQueuedAsync(new NotificationOptions()));
        Assert.True(await EmailsQueuedAsync(new NotificationOptions { Smtp = new() { Host = "smtp.example.test", From = "portal@example.test" } }) > 0);
    }

    [Fact]
    public void The_health_alerts_server_serves_notifications_that_name_none()
    {
        using var services = Services(new()
        {
            ["Alerts:Smtp:Host"] = "alerts-smtp.example.test",
            ["Alerts:Smtp:Port"] = "465",
            ["Alerts:Smtp:Security"] = "SslOnConnect",
            ["Alerts:Smtp:From"] = "alerts@example.test",
            ["Alerts:Smtp:To:0"] = "ops@example.test",
        });

        var smtp = services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        Assert.True(smtp.EmailConfigured);
        Assert.Equal(("alerts-smtp.example.test", 465, SmtpSecurity.SslOnConnect, "alerts@example.test"), (smtp.Smtp.Host, smtp.Smtp.Port, smtp.Smtp.Security, smtp.Smtp.From));

        using var own = Services(new() { ["Alerts:Smtp:Host"] = "alerts-smtp.example.test", ["Alerts:Smtp:From"] = "alerts@example.test", ["Alerts:Smtp:To:0"] = "ops@example.test", ["Notifications:Smtp:Host"] = "mail.example.test", ["Notifications:Smtp:From"] = "portal@example.test" });
        Assert.Equal("mail.example.test", own.GetRequiredService<IOptions<NotificationOptions>>().Value.Smtp.Host);

        using var none = Services([]);
        Assert.False(none.GetRequiredService<IOptions<NotificationOptions>>().Value.EmailConfigured);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .AddPortalNotifications()
        .BuildServiceProvider();

    private static async Task<int> EmailsQueuedAsync(NotificationOptions options)
    {
        var h = new NotificationHarness(await TestDatabases.SqliteAsync(), options);
        await h.People.SeenAsync(TestActors.Alice, "alice@example.test");
        await h.RejectedRequestAsync();
        await h.Outbox.CollectAsync();
        await using var db = await h.Db.CreateDbContextAsync();
        return await db.NotificationDeliveries.CountAsync(d => d.Channel == NotificationChannel.Email);
    }
}
