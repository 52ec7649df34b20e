using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Infrastructure.Persistence;
using Portal.Core.Notifications;
using Portal.Health;
using Portal.Infrastructure.Notifications;
using Portal.Notifications;
using Portal.Tests.Infrastructure;
using Portal.Tests.Notifications;

namespace Portal.Tests.Health;

/// <summary>
/// Scheduled scans through the portal's own wiring (AddPortalHealth, AddPortalHealthMonitoring, AddPortalNotifications)
/// queue an alert for <c>Alerts:WebhookUrl</c> once when a watched mail domain breaks, none on the next scans while it
/// stays broken, and one again only after it was fixed and broke anew. The scan sends nothing itself: two dispatchers
/// (as on two replicas) post each alert once, in the payload the webhook always had, and retry after the receiver first
/// answers 503. The webhook is a receiver on loopback.
/// </summary>
public sealed class HealthAlertWebhookTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>
{
    private const string Domain = "alerting.test";

    private PrivateNetwork Network => fixture.Network;

    [Fact]
    public async Task A_break_posts_one_alert_through_the_outbox_and_the_next_scans_post_none()
    {
        using var receiver = new WebhookReceiver(HttpStatusCode.ServiceUnavailable);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database, clock, receiver.Url);
        var health = services.GetRequiredService<HealthService>();
        var one = ActivatorUtilities.CreateInstance<NotificationDispatcher>(services);
        var other = ActivatorUtilities.CreateInstance<NotificationDispatcher>(services);
        async Task<int> DispatchAsync()
        {
            var results = await Task.WhenAll(one.SendDueAsync(), other.SendDueAsync());
            return results.Sum(r => r.Sent);
        }

        var address = await Network.AllocateAddressAsync();
        var (id, problem) = await health.AddAsync(Domain, HealthCheckKind.Mail, TestActors.Dana);
        Assert.Null(problem);

        await PublishAsync(address, withRecord: true);
        var healthy = await health.ScanDueAsync();
        var sentHealthy = await DispatchAsync();

        await PublishAsync(address, withRecord: false);
        clock.Advance(TimeSpan.FromHours(2));
        var broken = await health.ScanDueAsync();
        var postsBeforeDispatch = receiver.Received.Count;
        var sentFirstTry = await DispatchAsync();
        clock.Advance(TimeSpan.FromHours(2));
        var stillBroken = await health.ScanDueAsync();
        var sentRetry = await DispatchAsync();
        clock.Advance(TimeSpan.FromHours(2));
        var stillBrokenAgain = await health.ScanDueAsync();
        var sentRepeats = await DispatchAsync();

        await PublishAsync(address, withRecord: true);
        clock.Advance(TimeSpan.FromHours(2));
        var fixedScan = await health.ScanDueAsync();
        await PublishAsync(address, withRecord: false);
        clock.Advance(TimeSpan.FromHours(2));
        var brokeAgain = await health.ScanDueAsync();
        var sentAgain = await DispatchAsync();
        var sentAfter = await DispatchAsync();

        Assert.Equal((1, 0, 0), (healthy.Checked, healthy.Alerts, sentHealthy));
        Assert.Equal((1, 1), (broken.Checked, broken.Alerts));
        Assert.Equal(0, postsBeforeDispatch);
        Assert.Equal(0, sentFirstTry);
        Assert.Equal((1, 0, 1), (stillBroken.Checked, stillBroken.Alerts, sentRetry));
        Assert.Equal((1, 0, 0), (stillBrokenAgain.Checked, stillBrokenAgain.Alerts, sentRepeats));
        Assert.Equal((1, 0), (fixedScan.Checked, fixedScan.Alerts));
        Assert.Equal((1, 1, 1, 0), (brokeAgain.Checked, brokeAgain.Alerts, sentAgain, sentAfter));
        Assert.Equal(3, receiver.Received.Count);

        await using (var db = await database.CreateDbContextAsync())
        {
            var deliveries = await db.NotificationDeliveries.AsNoTracking().OrderBy(d => d.CreatedAt).ToListAsync();
            Assert.Equal([("Alerts:WebhookUrl", DeliveryStatus.Sent, 2), ("Alerts:WebhookUrl", DeliveryStatus.Sent, 1)],
                deliveries.Select(d => (d.Recipient, d.Status, d.Attempts)));
        }

        var posts = receiver.Received.ToList();
        Assert.Equal(posts[0].Body.ToJsonString(), posts[1].Body.ToJsonString());
        using var alert = JsonDocument.Parse(posts[1].Body.ToJsonString());
        var root = alert.RootElement;
        Assert.Equal((Domain, "mail", "mta-sts-broken"), (root.GetProperty("name").GetString(), root.GetProperty("kind").GetString(), root.GetProperty("condition").GetString()));
        Assert.Equal($"MTA-STS for {Domain} is broken: senders see no valid policy.", root.GetProperty("summary").GetString());
        Assert.True(root.TryGetProperty("at", out _));
        var finding = Assert.Single(root.GetProperty("findings").EnumerateArray());
        Assert.Equal(("mta-sts.record-missing", "error"), (finding.GetProperty("id").GetString(), finding.GetProperty("severity").GetString()));

        var (_, history) = await health.HistoryAsync(id!.Value);
        Assert.Equal(6, history.Count);
    }

    private ServiceProvider Build(IDbContextFactory<PortalDbContext> database, TimeProvider clock, Uri webhook)
    {
        var settings = HealthFixtureNetwork.EngineSettings(Network);
        settings["Alerts:WebhookUrl"] = webhook.ToString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(clock)
            .AddSingleton(database)
            .AddLogging()
            .AddPortalHealth()
            .AddPortalHealthMonitoring()
            .AddPortalNotifications()
            .BuildServiceProvider();
    }

    private async Task PublishAsync(IPAddress address, bool withRecord)
    {
        var zone = new DnsZone()
            .Txt("_smtp._tls." + Domain, $"v=TLSRPTv1; rua=mailto:tlsrpt@{Domain}")
            .Mx(Domain, "mx1." + Domain, 10)
            .A("mta-sts." + Domain, address);
        if (withRecord)
        {
            zone.Txt("_mta-sts." + Domain, "v=STSv1; id=1;");
        }

        await Network.StartDnsAsync(zone);
        await Network.StartWebAsync(new WebSite("mta-sts." + Domain, address).File(HealthFixtureNetwork.PolicyPath, HealthFixtureNetwork.EnforcePolicy(Domain)));
    }
}
