using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;
using Portal.Data;

namespace Portal.Tests.Infrastructure;

/// <summary>Fresh, migrated databases for tests: a SQLite file in a temporary folder, or a new database on the test PostgreSQL server.</summary>
public static class TestDatabases
{
    public static async Task<IDbContextFactory<PortalDbContext>> SqliteAsync()
    {
        var factory = SqliteEmpty();
        await MigrateAsync(factory);
        return factory;
    }

    public static async Task<IDbContextFactory<PortalDbContext>> PostgresAsync(PostgresServer server)
    {
        var factory = await PostgresEmptyAsync(server);
        await MigrateAsync(factory);
        return factory;
    }

    /// <summary>A new SQLite file with no tables yet, for a test that migrates it step by step.</summary>
    public static IDbContextFactory<PortalDbContext> SqliteEmpty()
    {
        var folder = Directory.CreateTempSubdirectory("portal-sqlite-").FullName;
        var options = new DbContextOptionsBuilder<SqlitePortalDbContext>()
            .UseSqlite($"Data Source={Path.Combine(folder, "portal.db")};Pooling=False")
            .Options;
        return new ContextFactory(() => new SqlitePortalDbContext(options));
    }

    /// <summary>A new database on the test PostgreSQL server with no tables yet, for a test that migrates it step by step.</summary>
    public static async Task<IDbContextFactory<PortalDbContext>> PostgresEmptyAsync(PostgresServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return ForPostgres(await server.CreateDatabaseAsync());
    }

    /// <summary>A context factory for a database the portal itself creates and migrates (several portal processes sharing one).</summary>
    public static IDbContextFactory<PortalDbContext> ForPostgres(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(connectionString).Options;
        return new ContextFactory(() => new PostgresPortalDbContext(options));
    }

    private static async Task MigrateAsync(IDbContextFactory<PortalDbContext> factory)
    {
        await using var db = factory.CreateDbContext();
        await db.Database.MigrateAsync();
    }

    private sealed class ContextFactory(Func<PortalDbContext> create) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => create();
    }
}
