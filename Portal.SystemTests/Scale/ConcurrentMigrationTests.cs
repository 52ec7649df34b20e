using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Scale;

/// <summary>Replicas of a fresh install start together on an empty PostgreSQL database: one migrates, the others wait for it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentMigrationTests(PostgresServer server)
{
    [Fact]
    public async Task Four_portals_starting_at_once_on_an_empty_database_all_start_and_leave_each_migration_applied_once()
    {
        var connection = await server.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = connection,
        };
        var portals = Enumerable.Range(0, 4).Select(_ => new PortalFactory(settings)).ToList();
        try
        {
            // Reading Services starts each host, which runs its migrations before serving.
            await Task.WhenAll(portals.Select(p => Task.Run(() => p.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>())));

            var db = TestDatabases.ForPostgres(connection);
            await using var ctx = await db.CreateDbContextAsync();
            Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
            var applied = (await ctx.Database.GetAppliedMigrationsAsync()).ToList();
            Assert.Equal(ctx.Database.GetMigrations().ToList(), applied);
            foreach (var portal in portals)
            {
                using var client = portal.CreateClient();
                using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
            }
        }
        finally
        {
            foreach (var portal in portals)
            {
                await portal.DisposeAsync();
            }
        }
    }
}
