using Portal.Identity.Settings;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// Removes expired server-side sessions and the built-in provider's expired token and authorization entries (codes,
/// access tokens) once an hour, so the tables do not grow forever. Deleting is idempotent, so several replicas doing it at once is harmless.
/// </summary>
internal sealed partial class TokenPruning(IServiceScopeFactory scopes, IOptions<PortalAuthenticationOptions> settings, TimeProvider clock, ILogger<TokenPruning> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var sessions = await scope.ServiceProvider.GetRequiredService<SessionRevocation>().PruneAsync(clock.GetUtcNow(), stoppingToken);
                LogSessionsPruned(logger, sessions);
                if (settings.Value.Mode != IdentityProviderMode.BuiltIn)
                {
                    continue;
                }

                var threshold = clock.GetUtcNow() - KeepFor;
                var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
                LogPruned(logger, tokens, authorizations);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pruned {Tokens} expired tokens and {Authorizations} authorizations of the built-in identity provider")]
    private static partial void LogPruned(ILogger logger, long tokens, long authorizations);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pruned {Sessions} expired sign-in sessions")]
    private static partial void LogSessionsPruned(ILogger logger, int sessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the built-in identity provider's expired tokens failed; trying again in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
