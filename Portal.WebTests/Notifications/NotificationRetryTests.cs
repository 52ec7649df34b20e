using System.Net;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Notifications;
using Portal.Infrastructure.Notifications;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

/// <summary>A failed send waits twice as long before each new attempt, and after the last one is marked failed for admins.</summary>
public sealed class NotificationRetryTests
{
    [Fact]
    public async Task A_failing_webhook_is_retried_with_exponential_backoff_then_marked_failed()
    {
        using var hook = new WebhookReceiver(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 10).ToArray());
        var options = NotificationHarness.WithWebhooks(new NotificationWebhookOptions { Name = "ops", Url = hook.Url, Kinds = { NotificationKind.Rejected } });
        options.MaxAttempts = 4;
        options.FirstRetryDelay = TimeSpan.FromSeconds(30);
        var h = new NotificationHarness(await TestDatabases.SqliteAsync(), options);
        await h.RejectedRequestAsync();
        await h.Outbox.CollectAsync();

        var attemptsAt = new List<DateTimeOffset>();
        for (var step = 0; step < 20 * 60; step++)
        {
            var result = await h.Dispatcher.SendDueAsync();
            if (result.Retrying + result.Failed > 0)
            {
                attemptsAt.Add(h.Clock.GetUtcNow());
            }

            h.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var delivery = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Equal(4, delivery.Attempts);
        Assert.Equal("Webhook 'ops' answered 503 Service Unavailable.", delivery.LastError);
        Assert.Equal([30, 60, 120], attemptsAt.Zip(attemptsAt.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray());
        Assert.Equal(4, hook.Received.Count);
        Assert.Single(await h.Dispatcher.FailedAsync(10));
    }

    [Fact]
    public async Task A_webhook_that_recovers_gets_the_message_once()
    {
        using var hook = new WebhookReceiver(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway);
        var options = NotificationHarness.WithWebhooks(new NotificationWebhookOptions { Name = "ops", Url = hook.Url, Kinds = { NotificationKind.Rejected } });
        var h = new NotificationHarness(await TestDatabases.SqliteAsync(), options, new FakeTimeProvider(TestActors.SignedInAt));
        await h.RejectedRequestAsync();
        await h.Outbox.CollectAsync();

        for (var step = 0; step < 10; step++)
        {
            await h.Dispatcher.SendDueAsync();
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var delivery = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(3, hook.Received.Count);
    }
}
