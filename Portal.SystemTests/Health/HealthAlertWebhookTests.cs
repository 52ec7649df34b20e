using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Infrastructure.Persistence;
using Portal.Health;
using Portal.Tests.Infrastructure;
using Portal.Tests.Notifications;

namespace Portal.Tests.Health;

/// <summary>
/// Scheduled scans through the portal's own wiring (AddPortalHealth and AddPortalHealthMonitoring) post an alert to
/// the webhook once when a watched mail domain breaks, stay quiet on the next scans while it stays broken, and alert
/// again only after it was fixed and broke anew. The webhook is a receiver on loopback.
/// </summary>
public sealed class HealthAlertWebhookTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>
{
    private const string Domain = "alerting.test";

    private PrivateNetwork Network => fixture.Network;

    [Fact]
    public async Task A_break_posts_one_alert_and_the_next_scans_post_none()
    {
        using var receiver = new WebhookReceiver();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database, clock, receiver.Url);
        var health = services.GetRequiredService<HealthService>();
        var address = await Network.AllocateAddressAsync();
        var (id, problem) = await health.AddAsync(Domain, HealthCheckKind.Mail, TestActors.Dana);
        Assert.Null(problem);

        await PublishAsync(address, withRecord: true);
        var healthy = await health.ScanDueAsync();
        var afterHealthy = receiver.Received.Count;

        await PublishAsync(address, withRecord: false);
        clock.Advance(TimeSpan.FromHours(2));
        var broken = await health.ScanDueAsync();
        var afterBreak = receiver.Received.Count;
        clock.Advance(TimeSpan.FromHours(2));
        var stillBroken = await health.ScanDueAsync();
        clock.Advance(TimeSpan.FromHours(2));
        var stillBrokenAgain = await health.ScanDueAsync();
        var afterRepeats = receiver.Received.Count;

        await PublishAsync(address, withRecord: true);
        clock.Advance(TimeSpan.FromHours(2));
        var fixedScan = await health.ScanDueAsync();
        await PublishAsync(address, withRecord: false);
        clock.Advance(TimeSpan.FromHours(2));
        var brokeAgain = await health.ScanDueAsync();

        Assert.Equal((1, 0), (healthy.Checked, healthy.Alerts));
        Assert.Equal(0, afterHealthy);
        Assert.Equal((1, 1), (broken.Checked, broken.Alerts));
        Assert.Equal(1, afterBreak);
        Assert.Equal((1, 0, 1, 0), (stillBroken.Checked, stillBroken.Alerts, stillBrokenAgain.Checked, stillBrokenAgain.Alerts));
        Assert.Equal(1, afterRepeats);
        Assert.Equal((1, 0), (fixedScan.Checked, fixedScan.Alerts));
        Assert.Equal((1, 1), (brokeAgain.Checked, brokeAgain.Alerts));
        Assert.Equal(2, receiver.Received.Count);

        using var alert = JsonDocument.Parse(receiver.Received.First().Body.ToJsonString());
        var root = alert.RootElement;
        Assert.Equal((Domain, "mail", "mta-sts-broken"), (root.GetProperty("name").GetString(), root.GetProperty("kind").GetString(), root.GetProperty("condition").GetString()));
        Assert.Equal($"MTA-STS for {Domain} is broken: senders see no valid policy.", root.GetProperty("summary").GetString());
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
