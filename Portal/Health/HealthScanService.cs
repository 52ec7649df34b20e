using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Infrastructure.Health;

namespace Portal.Health;

/// <summary>
/// Runs due health checks on a schedule; with several replicas each target is still checked once (see <see cref="HealthService"/>).
/// A name added to the watch list in this process wakes the scan, so its first result follows within seconds.
/// </summary>
internal sealed partial class HealthScanService(
    HealthService health, HealthStatusFeed feed, IOptions<HealthOptions> options, TimeProvider clock, ILogger<HealthScanService> logger) : BackgroundService
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScheduledScans)
        {
            return;
        }

        feed.Changed += OnChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _wake, new(TaskCreationOptions.RunContinuationsAsynchronously));
                try
                {
                    await health.SyncFromRequestsAsync(stoppingToken);
                    var result = await health.ScanDueAsync(ct: stoppingToken);
                    if (result.Checked > 0)
                    {
                        LogScan(logger, result.Checked, result.Alerts);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogScanFailed(logger, ex);
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(Task.Delay(options.Value.ScanEvery, clock, wait.Token), Volatile.Read(ref _wake).Task);
                await wait.CancelAsync();
            }
        }
        finally
        {
            feed.Changed -= OnChanged;
        }
    }

    /// <summary>A name was added (a change without a result yet): it is due now, so scan now rather than at the next tick.</summary>
    private void OnChanged(object? sender, HealthChange change)
    {
        if (change.CheckedAt is null)
        {
            Volatile.Read(ref _wake).TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health scan checked {Count} names and raised {Alerts} alerts")]
    private static partial void LogScan(ILogger logger, int count, int alerts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Health scan failed")]
    private static partial void LogScanFailed(ILogger logger, Exception ex);
}
