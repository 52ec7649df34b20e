using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Identity.BuiltIn;

/// <summary>Creates or upgrades the built-in provider's tables before the portal serves anyone.</summary>
internal sealed class IdentityDatabaseMigrator(IServiceScopeFactory scopes, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            return;
        }

        await MigrateAsync(scopes, cancellationToken);
    }

    public static async Task MigrateAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        await using var scope = scopes.CreateAsyncScope();
        await using var migrating = await MigrationLock.AcquireAsync(scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value, cancellationToken);
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
