using System.Runtime;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Portal.Core.Observability;

namespace Portal.Observability;

/// <summary>
/// Counts the portal's Blazor sessions for the <see cref="IdleTrimSchedule"/>. A circuit closes when it is disposed: at
/// once when its tab says goodbye, after the disconnected-circuit retention period when the browser just went away.
/// </summary>
internal sealed class IdleTrimCircuitHandler(IdleTrimSchedule schedule, TimeProvider clock) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        schedule.Opened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        schedule.Closed(clock.GetUtcNow());
        return Task.CompletedTask;
    }
}

/// <summary>
/// Gives the memory of a busy moment back to the system once the portal is idle (see <see cref="IdleTrimSchedule"/>):
/// one blocking, compacting full collection, large objects included, which takes a few tens of milliseconds while
/// nobody has a page open, then the idle SQLite connections, the time zone cache and the C heap's free pages. Without it the collector keeps its free space committed until allocations ask for a full
/// collection, which a quiet portal's background work does rarely.
/// </summary>
internal sealed partial class IdleMemoryTrimmer(IdleTrimSchedule schedule, TimeProvider clock, IOptions<MemoryOptions> options, ILogger<IdleMemoryTrimmer> logger)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.TrimWhenIdle)
        {
            return;
        }

        using var timer = new PeriodicTimer(Tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (schedule.TakeDue(clock.GetUtcNow()))
                {
                    Trim();
                }
                else if (schedule.IdleSinceTrim)
                {
                    // Background work (outbox, tracking, health scheduling) allocates a little every few seconds; left
                    // alone it would fill the young generation's budget (some 16 MiB here) with garbage before the next
                    // collection. Collecting it each tick keeps the idle portal where the trim left it, for well under
                    // a millisecond.
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Trim()
    {
        // The CloudFront Function engine (Jint) reads every system time zone, some 3 MiB of rules, when it starts; the
        // cache refills with the zones actually asked for.
        TimeZoneInfo.ClearCachedData();

        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        // Objects a finalizer still has to see (compiled query delegates, database handles and what hangs off them)
        // outlive the first collection; the second one, after their finalizers ran, takes them and compacts.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;

        // Idle pooled SQLite connections each hold a page cache in native memory; reopening one costs well under a
        // millisecond when the next person arrives. Then the C heap's freed pages go back to the system.
        SqliteConnection.ClearAllPools();

        var nativeTrimmed = NativeHeap.Trim();
        LogTrimmed(logger, before / (1024 * 1024), after / (1024 * 1024), nativeTrimmed);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Idle: memory given back after the last session ended (managed heap committed {Before} MiB -> {After} MiB; C heap trimmed: {NativeTrimmed}).")]
    private static partial void LogTrimmed(ILogger logger, long before, long after, bool nativeTrimmed);
}
