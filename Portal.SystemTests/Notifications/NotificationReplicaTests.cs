using Microsoft.EntityFrameworkCore;
using Portal.Core.Notifications;
using Portal.Infrastructure.Notifications;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Notifications;

/// <summary>
/// Two replicas on one PostgreSQL database, each with its own outbox and dispatcher, working at the same moment:
/// every event becomes its deliveries once, and every delivery is sent once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NotificationReplicaTests(PostgresServer server)
{
    [Fact]
    public async Task Two_dispatchers_send_each_notification_exactly_once()
    {
        using var hook = new WebhookReceiver();
        var options = NotificationHarness.WithWebhooks(new NotificationWebhookOptions { Name = "ops", Url = hook.Url, Kinds = { NotificationKind.Rejected } });
        var connection = await server.CreateDatabaseAsync();
        var migrated = TestDatabases.ForPostgres(connection);
        await using (var ctx = await migrated.CreateDbContextAsync())
        {
            await ctx.Database.MigrateAsync();
        }

        var first = new NotificationHarness(migrated, options);
        var second = new NotificationHarness(TestDatabases.ForPostgres(connection), options, first.Clock);
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await first.RejectedRequestAsync($"site{i}.example.com"));
        }

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(first.Outbox.CollectAsync(), second.Outbox.CollectAsync());
            await Task.WhenAll(first.Dispatcher.SendDueAsync(), second.Dispatcher.SendDueAsync(), first.NewDispatcher().SendDueAsync());
        }

        var deliveries = await first.DeliveriesAsync();
        Assert.Equal(12, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Sent, 1), (d.Status, d.Attempts)));
        var links = hook.Received.Select(r => (string)r.Body["blocks"]![1]!["text"]!["text"]!).ToList();
        Assert.Equal(12, links.Count);
        Assert.Equal(ids.Select(id => $"<https://portal.example.test/requests/{id}|Open in the portal>").Order(), links.Order());
    }
}
