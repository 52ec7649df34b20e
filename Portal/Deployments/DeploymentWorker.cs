using Microsoft.Extensions.Options;
using Portal.Infrastructure.Persistence;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;

namespace Portal.Deployments;

/// <summary>Runs the deployment engine a pass at a time for as long as the portal runs; hands the lease back on shutdown so another replica takes over at once.</summary>
internal sealed partial class DeploymentWorker(DeploymentEngine engine, WorkLeases leases, IOptions<DeploymentOptions> options, TimeProvider clock, ILogger<DeploymentWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outcome = (EnginePassOutcome?)null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = await engine.RunOnceAsync(stoppingToken);
                if (now != outcome)
                {
                    LogMode(logger, now);
                    outcome = now;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // One bad pass must not stop deployments for good: log it and try again on the next pass.
                LogPassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.WorkerInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await leases.ReleaseAsync(DeploymentEngine.LeaseName, engine.Owner, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment engine: {Outcome}")]
    private static partial void LogMode(ILogger logger, EnginePassOutcome outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "A deployment engine pass failed; the next pass retries")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
