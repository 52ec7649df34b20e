using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Infrastructure.Persistence;

namespace Portal.Data;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>The database, chosen by <c>Database:Provider</c>, its migrations at start, the readiness check, and the warning while Data Protection keys are stored unencrypted.</summary>
    public static IServiceCollection AddPortalPersistence(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddDbContextFactory<SqlitePortalDbContext>((sp, options) =>
            options.UseSqlite(SqliteConnectionString(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, sp.GetRequiredService<IHostEnvironment>())).LogFailuresAtDebug());
        services.AddDbContextFactory<PostgresPortalDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString).LogFailuresAtDebug());

        services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp =>
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Postgres
                ? new DerivedContextFactory<PostgresPortalDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresPortalDbContext>>())
                : new DerivedContextFactory<SqlitePortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlitePortalDbContext>>()));

        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<KeyProtectionStatus>();
        services.AddHostedService<KeyProtectionWarning>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    internal static string SqliteConnectionString(DatabaseOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        var folder = Path.GetFullPath(options.DataDirectory, environment.ContentRootPath);
        PrivateSqliteFile.CreateFolder(folder);
        var file = Path.Combine(folder, "portal.db");
        PrivateSqliteFile.Prepare(file);

        // A private cache per connection, as Microsoft.Data.Sqlite advises (a shared cache locks whole tables between the
        // process's connections); busy writers wait up to the timeout. The file is in WAL mode.
        return new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
    }
}

/// <summary>Creates or upgrades the database before the portal serves anyone.</summary>
internal sealed partial class DatabaseMigrator(IDbContextFactory<PortalDbContext> factory, IOptions<DatabaseOptions> options, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            return;
        }

        await MigrateAsync(factory, options.Value, logger, cancellationToken);
    }

    /// <summary>Also run by the CLI verbs that need the database (users: its Data Protection keys and tables).</summary>
    public static async Task MigrateAsync(IDbContextFactory<PortalDbContext> factory, DatabaseOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        await using var migrating = await MigrationLock.AcquireAsync(options, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            var names = string.Join(", ", pending);
            LogApplying(logger, pending.Count, options.Provider, names);
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migrations ({Provider}): {Migrations}")]
    private static partial void LogApplying(ILogger logger, int count, DatabaseProvider provider, string migrations);
}

/// <summary>Ready means the database answers.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<PortalDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database does not answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
