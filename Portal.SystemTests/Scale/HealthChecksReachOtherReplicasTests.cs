using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Scale;

/// <summary>
/// With PostgreSQL, a check stored by one replica reaches the open health pages of another: the other replica reads
/// the new result from the database and announces it on its health feed, marked as heard from another replica.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthChecksReachOtherReplicasTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_result_stored_on_one_replica_is_announced_on_the_other()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync(),
            ["Health:ScheduledScans"] = "false",
            ["Health:LiveRefreshEvery"] = "00:00:01",
        };
        await using var one = new PortalFactory(settings);
        await using var two = new PortalFactory(settings);
        var heard = new ConcurrentQueue<HealthChange>();
        two.Services.GetRequiredService<HealthStatusFeed>().Changed += (_, c) => heard.Enqueue(c);
        var database = one.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        Guid id;
        await using (var db = await database.CreateDbContextAsync())
        {
            var target = HealthTarget.Create("elsewhere.example.com", HealthCheckKind.Site, null, "alice", DateTimeOffset.UtcNow);
            db.HealthTargets.Add(target);
            await db.SaveChangesAsync();
            id = target.Id;
        }

        // The other replica's first look only learns what is stored already: store results until one is announced.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!heard.Any(c => c.TargetId == id))
        {
            Assert.True(DateTime.UtcNow < deadline, "The other replica never announced the stored result.");
            await using (var db = await database.CreateDbContextAsync())
            {
                var target = await db.HealthTargets.SingleAsync(t => t.Id == id);
                var report = new HealthReport(target.Name, target.Kind, DateTimeOffset.UtcNow, TimeSpan.Zero, [new Finding("site.https", FindingSeverity.Pass, "Fine.")]);
                target.Record(report, report.CheckedAt.AddHours(1));
                db.HealthResults.Add(HealthResult.From(id, report));
                await db.SaveChangesAsync();
            }

            await Task.Delay(500);
        }

        var change = heard.First(c => c.TargetId == id);
        Assert.Equal(("elsewhere.example.com", HealthCheckKind.Site, true), (change.Name, change.Kind, change.FromOtherReplica));
    }
}
