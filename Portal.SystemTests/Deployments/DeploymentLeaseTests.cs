using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>
/// The database lease that lets one replica at a time run the deployment engine, and the rule of one active run per
/// request, on both database providers.
/// </summary>
public abstract class DeploymentLeaseTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));

    protected abstract Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync();

    [Fact]
    public async Task One_replica_holds_the_lease_until_it_expires_or_is_released()
    {
        var leases = new WorkLeases(await CreateDatabaseAsync(), _clock);
        var duration = TimeSpan.FromMinutes(2);
        var first = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => leases.TryAcquireAsync("engine", "replica-" + i, duration)));
        Assert.Single(first, taken => taken);
        var holder = "replica-" + Array.IndexOf(first, true);
        var other = holder == "replica-0" ? "replica-1" : "replica-0";

        Assert.True(await leases.TryAcquireAsync("engine", holder, duration));
        Assert.False(await leases.TryAcquireAsync("engine", other, duration));

        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await leases.TryAcquireAsync("engine", other, duration));
        Assert.False(await leases.TryAcquireAsync("engine", holder, duration));

        await leases.ReleaseAsync("engine", other);
        Assert.True(await leases.TryAcquireAsync("engine", holder, duration));
    }

    [Fact]
    public async Task A_request_has_at_most_one_active_run()
    {
        var db = await CreateDatabaseAsync();
        var request = Guid.NewGuid();
        await using (var ctx = await db.CreateDbContextAsync())
        {
            ctx.DeploymentRuns.Add(Run(request, RunStatus.Failed));
            ctx.DeploymentRuns.Add(Run(request, RunStatus.Running));
            await ctx.SaveChangesAsync();
        }

        await using (var ctx = await db.CreateDbContextAsync())
        {
            ctx.DeploymentRuns.Add(Run(request, RunStatus.Running));
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => ctx.SaveChangesAsync());
            Assert.True(ctx.IsUniqueViolation(error));
        }
    }

    private DeploymentRun Run(Guid request, RunStatus status) => new()
    {
        Id = Guid.NewGuid(), RequestId = request, Status = status, CreatedAt = _clock.GetUtcNow(), UpdatedAt = _clock.GetUtcNow(), NextCheckAt = _clock.GetUtcNow(),
    };
}

public sealed class SqliteDeploymentLeaseTests : DeploymentLeaseTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.SqliteAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDeploymentLeaseTests(PostgresServer server) : DeploymentLeaseTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.PostgresAsync(server);
}
