using Portal.Core.Notifications;
using Portal.Infrastructure.Notifications;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

/// <summary>
/// The outbox looks back over a window of events it has mostly handled already; when that window holds more handled
/// events than it reads at once, the new events behind them are still found and sent.
/// </summary>
public sealed class OutboxBusyWindowTests
{
    [Fact]
    public async Task New_events_behind_a_window_full_of_handled_ones_are_still_sent()
    {
        using var hook = new WebhookReceiver();
        // A batch of 2 reads pages of 8 events: three requests' histories (6 events each) fill the window past a page.
        var h = new NotificationHarness(await TestDatabases.SqliteAsync(), NotificationHarness.WithWebhooks(
            new NotificationWebhookOptions { Name = "ops", Url = hook.Url, Format = WebhookFormat.Slack, Kinds = { NotificationKind.Rejected } }),
            outboxBatchSize: 2);
        foreach (var host in new[] { "a.example.com", "b.example.com", "c.example.com" })
        {
            await h.RejectedRequestAsync(host);
            await CollectAllAsync(h);
        }

        await h.RejectedRequestAsync("d.example.com");
        await CollectAllAsync(h);
        await h.Dispatcher.SendDueAsync();

        Assert.Equal(
            ["Rejected: a.example.com", "Rejected: b.example.com", "Rejected: c.example.com", "Rejected: d.example.com"],
            hook.Received.Select(r => ((string)r.Body["text"]!).Split(':')[0] + ":" + ((string)r.Body["text"]!).Split(':')[1]).Order(StringComparer.Ordinal));
    }

    private static async Task CollectAllAsync(NotificationHarness h)
    {
        for (var pass = 0; pass < 50 && (await h.Outbox.CollectAsync()).Events > 0; pass++)
        {
        }
    }
}
