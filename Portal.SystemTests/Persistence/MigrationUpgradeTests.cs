using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>
/// Databases written by an earlier portal upgrade with what they hold: each test migrates an empty database up to the
/// migration before the one under test, stores rows the way the earlier portal did, then migrates to the latest.
/// </summary>
public abstract class MigrationUpgradeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    protected abstract Task<IDbContextFactory<PortalDbContext>> CreateEmptyDatabaseAsync();

    [Fact]
    public async Task A_run_stored_as_Promoting_carries_on_as_CopyingContent_and_still_holds_its_request()
    {
        var db = await CreateEmptyDatabaseAsync();
        await MigrateToJustBeforeAsync(db, "CopyingContentRunStatus");
        var requestId = Guid.NewGuid();
        await using (var ctx = await db.CreateDbContextAsync())
        {
            ctx.DeploymentRuns.Add(Run(requestId, RunStatus.Failed));
            ctx.DeploymentRuns.Add(Run(requestId, RunStatus.Running));
            await ctx.SaveChangesAsync();

            // What the earlier portal stored while copying a site's content to production.
            await ctx.Database.ExecuteSqlRawAsync("UPDATE deployment_runs SET \"Status\" = 'Promoting' WHERE \"Status\" = 'Running'");
        }

        await using (var ctx = await db.CreateDbContextAsync())
        {
            await ctx.Database.MigrateAsync();
            Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
        }

        await using (var ctx = await db.CreateDbContextAsync())
        {
            var runs = await ctx.DeploymentRuns.AsNoTracking().Where(r => r.RequestId == requestId).ToListAsync();
            Assert.Equal([RunStatus.CopyingContent, RunStatus.Failed], runs.Select(r => r.Status).Order());
            Assert.Single(runs, r => r.IsActive);
            Assert.Equal(0, await ctx.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM deployment_runs WHERE \"Status\" = 'Promoting'").SingleAsync());

            // The active-run index counts the renamed status: a second active run for the request is refused.
            ctx.DeploymentRuns.Add(Run(requestId, RunStatus.Running));
            var refused = await Assert.ThrowsAnyAsync<DbUpdateException>(() => ctx.SaveChangesAsync());
            Assert.True(ctx.IsUniqueViolation(refused), refused.InnerException?.Message);
        }
    }

    private static async Task MigrateToJustBeforeAsync(IDbContextFactory<PortalDbContext> db, string migrationName)
    {
        await using var ctx = await db.CreateDbContextAsync();
        var all = ctx.Database.GetMigrations().ToList();
        var index = all.FindIndex(m => m.EndsWith("_" + migrationName, StringComparison.Ordinal));
        Assert.True(index > 0, $"No migration {migrationName} after another one.");
        await ctx.Database.MigrateAsync(all[index - 1]);
        Assert.Equal(all.Take(index), await ctx.Database.GetAppliedMigrationsAsync());
    }

    private static DeploymentRun Run(Guid requestId, RunStatus status) => new()
    {
        Id = Guid.NewGuid(),
        RequestId = requestId,
        Revision = 1,
        RequestVersion = 1,
        Environment = DeploymentEnvironment.Production,
        Action = RunAction.Deploy,
        Status = status,
        CreatedAt = Now,
        UpdatedAt = Now,
        NextCheckAt = Now,
    };
}

public sealed class SqliteMigrationUpgradeTests : MigrationUpgradeTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateEmptyDatabaseAsync() => Task.FromResult(TestDatabases.SqliteEmpty());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationUpgradeTests(PostgresServer server) : MigrationUpgradeTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateEmptyDatabaseAsync() => TestDatabases.PostgresEmptyAsync(server);
}
