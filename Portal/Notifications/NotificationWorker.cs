using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Core.Notifications;
using Portal.Infrastructure.Notifications;

namespace Portal.Notifications;

/// <summary>
/// Runs on every replica: turns new audit events into deliveries and sends due ones. Each event and each delivery is
/// claimed in the database, so replicas share the work without doing anything twice.
/// </summary>
internal sealed partial class NotificationWorker(
    NotificationOutbox outbox, NotificationDispatcher dispatcher, IOptions<NotificationOptions> options, TimeProvider clock, ILogger<NotificationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await outbox.CollectAsync(stoppingToken);
                var result = await dispatcher.SendDueAsync(stoppingToken);
                if (result.Failed > 0)
                {
                    LogGaveUp(logger, result.Failed);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A database hiccup must not stop notifications for good; the next pass picks up where this one stopped.
                LogPassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} notification deliveries failed for good; admins see them on the notifications page")]
    private static partial void LogGaveUp(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A notification pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}

/// <summary>Health alerts also reach the people watching the name (and the request's owner), through the outbox.</summary>
internal sealed partial class NotificationAlertSink(NotificationOutbox outbox, ILogger<NotificationAlertSink> logger) : IAlertSink
{
    public async Task SendAsync(HealthAlert alert, CancellationToken ct)
    {
        try
        {
            await outbox.EnqueueHealthAsync(alert, ct);
        }
        catch (Exception ex) when (ex is Microsoft.EntityFrameworkCore.DbUpdateException or InvalidOperationException)
        {
            LogFailed(logger, alert.Name, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health notification for {Name} not queued: {Reason}")]
    private static partial void LogFailed(ILogger logger, string name, string reason);
}
