using Microsoft.Extensions.Options;
using Portal.Aws;

namespace Portal.Sandbox;

/// <summary>
/// In sandbox mode, starts the local cloud with the portal and writes its state every
/// <see cref="SandboxOptions.SaveInterval"/> and at shutdown; in the other modes it does nothing (and starts no cloud).
/// </summary>
internal sealed partial class SandboxStateSaver(AwsModeChoice mode, IServiceProvider services, IOptions<SandboxOptions> options, TimeProvider clock, ILogger<SandboxStateSaver> logger)
    : BackgroundService
{
    private SandboxCloud? _cloud;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _cloud = mode.IsSandbox ? services.GetRequiredService<SandboxCloud>() : null;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_cloud is not null)
        {
            await _cloud.SaveAsync(force: true, CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_cloud is not { } cloud)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SaveInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await cloud.SaveAsync(force: false, stoppingToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogSaveFailed(logger, cloud.Directory, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync saves once more.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox: the state could not be written to {Directory}: {Problem}. It is tried again at the next interval.")]
    private static partial void LogSaveFailed(ILogger logger, string directory, string problem);
}
