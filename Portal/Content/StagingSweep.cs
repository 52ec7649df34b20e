using Microsoft.Extensions.Options;
using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Content;

/// <summary>
/// At start, removes what uploads of a process that stopped mid-upload (a crash, a kill) left in the staging folder;
/// uploads that other processes sharing the folder are running are left alone.
/// </summary>
internal sealed partial class StagingSweep(IOptions<ContentOptions> options, ILogger<StagingSweep> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var root = options.Value.StagingRoot;
        var removed = StagingArea.Sweep(root);
        if (removed > 0)
        {
            LogSwept(logger, removed, root);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} leftovers of interrupted uploads from the staging folder {Folder}")]
    private static partial void LogSwept(ILogger logger, int count, string folder);
}
