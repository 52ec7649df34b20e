using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Scale;

/// <summary>
/// With PostgreSQL, a deployment change published on the replica running the engine reaches the pages of the other
/// replicas at once (LISTEN/NOTIFY), exactly once, and is not sent back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeploymentChangesReachOtherReplicasTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_change_on_one_replica_is_heard_once_on_the_other_and_not_echoed_back()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync(),
        };
        await using var one = new PortalFactory(settings);
        await using var two = new PortalFactory(settings);
        var feedOne = one.Services.GetRequiredService<DeploymentStatusFeed>();
        var feedTwo = two.Services.GetRequiredService<DeploymentStatusFeed>();
        var heardOne = new ConcurrentQueue<DeploymentChange>();
        var heardTwo = new ConcurrentQueue<DeploymentChange>();
        feedOne.Changed += (_, c) => heardOne.Enqueue(c);
        feedTwo.Changed += (_, c) => heardTwo.Enqueue(c);

        // Each replica starts listening in the background: probe both ways until each hears the other.
        await ProbeUntilHeardAsync(feedOne, heardTwo, "probe from one");
        await ProbeUntilHeardAsync(feedTwo, heardOne, "probe from two");

        var request = Guid.NewGuid();
        feedOne.Publish(new DeploymentChange(request, "portal-site-docs", "Tracking"));
        await WaitAsync(() => heardTwo.Any(c => c.RequestId == request), "the other replica to hear the change");

        // Notifications from one sender arrive in order: once this marker from two is heard on one, an echo of the
        // change (which two would have sent before the marker) would have arrived too.
        var marker = Guid.NewGuid();
        feedTwo.Publish(new DeploymentChange(marker, null, "marker"));
        await WaitAsync(() => heardOne.Any(c => c.RequestId == marker), "the marker back on the first replica");

        var atTwo = Assert.Single(heardTwo, c => c.RequestId == request);
        Assert.Equal(("portal-site-docs", "Tracking", true), (atTwo.StackName, atTwo.What, atTwo.FromOtherReplica));
        var atOne = Assert.Single(heardOne, c => c.RequestId == request);
        Assert.False(atOne.FromOtherReplica);
    }

    private static async Task ProbeUntilHeardAsync(DeploymentStatusFeed from, ConcurrentQueue<DeploymentChange> heardAt, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!heardAt.Any(c => c.What == what))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{what}' was never heard on the other replica.");
            from.Publish(new DeploymentChange(null, null, what));
            await Task.Delay(200);
        }
    }

    private static async Task WaitAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
