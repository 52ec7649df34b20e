using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Data;
using Portal.Infrastructure.Persistence;

namespace Portal.Health;

/// <summary>
/// With PostgreSQL several replicas share the watch list and any of them may run a check. This replica looks in the
/// database every <see cref="HealthOptions.LiveRefreshEvery"/> for results it did not store itself and tells its open
/// pages through the <see cref="HealthStatusFeed"/>, so a row leaves "not checked" wherever the check ran.
/// </summary>
internal sealed partial class HealthChangePoller(
    IDbContextFactory<PortalDbContext> dbFactory, HealthStatusFeed feed, IOptions<HealthOptions> options, IOptions<DatabaseOptions> database,
    TimeProvider clock, ILogger<HealthChangePoller> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Guid TargetId, DateTimeOffset CheckedAt), DateTimeOffset> _seen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Value.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        feed.Changed += OnLocalChange;
        try
        {
            using var timer = new PeriodicTimer(options.Value.LiveRefreshEvery, clock);
            var first = true;
            do
            {
                try
                {
                    await PollAsync(announce: !first, stoppingToken);
                    first = false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPollFailed(logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            feed.Changed -= OnLocalChange;
        }
    }

    /// <summary>Results stored here are announced by the service already; remember them so the poll does not repeat them.</summary>
    private void OnLocalChange(object? sender, HealthChange change)
    {
        if (!change.FromOtherReplica && change.CheckedAt is { } at)
        {
            lock (_gate)
            {
                _seen[(change.TargetId, at)] = clock.GetUtcNow();
            }
        }
    }

    /// <summary>
    /// Reads the results of the last claim lease: a check started earlier and stored only now would be repeated by
    /// another replica anyway, since its claim ran out. The first poll only learns what is there already.
    /// </summary>
    private async Task PollAsync(bool announce, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lookback = options.Value.ClaimLease + options.Value.LiveRefreshEvery;
        var since = now - lookback;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var recent = await (
                from r in db.HealthResults.AsNoTracking()
                where r.CheckedAt >= since
                join t in db.HealthTargets.AsNoTracking() on r.TargetId equals t.Id
                select new { r.TargetId, r.CheckedAt, t.Name, t.Kind })
            .ToListAsync(ct);
        var fresh = new List<HealthChange>();
        lock (_gate)
        {
            foreach (var r in recent)
            {
                if (_seen.TryAdd((r.TargetId, r.CheckedAt), now) && announce)
                {
                    fresh.Add(new HealthChange(r.TargetId, r.Name, r.Kind, r.CheckedAt) { FromOtherReplica = true });
                }
            }

            foreach (var key in _seen.Where(s => s.Value < since && s.Key.CheckedAt < since).Select(s => s.Key).ToList())
            {
                _seen.Remove(key);
            }
        }

        foreach (var change in fresh)
        {
            feed.Publish(change);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look for health checks finished on other replicas: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string reason);
}
