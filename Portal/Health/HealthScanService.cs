using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Infrastructure.Health;

namespace Portal.Health;

/// <summary>Runs due health checks on a schedule; with several replicas each target is still checked once (see <see cref="HealthService"/>).</summary>
internal sealed partial class HealthScanService(HealthService health, IOptions<HealthOptions> options, TimeProvider clock, ILogger<HealthScanService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScheduledScans)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ScanEvery, clock);
        do
        {
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
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health scan checked {Count} names and raised {Alerts} alerts")]
    private static partial void LogScan(ILogger logger, int count, int alerts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Health scan failed")]
    private static partial void LogScanFailed(ILogger logger, Exception ex);
}
