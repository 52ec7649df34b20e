using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Data;

namespace Portal.Deployments;

/// <summary>
/// Carries deployment changes between replicas on one PostgreSQL database with LISTEN/NOTIFY: what the replica running
/// the engine publishes reaches the pages open on every other replica at once. Notifications are hints; pages read
/// the state itself from the database, so a notification lost while a connection is down costs only a delay.
/// </summary>
internal sealed partial class PostgresDeploymentFeedRelay(
    DeploymentStatusFeed feed, IOptions<DatabaseOptions> database, TimeProvider clock, ILogger<PostgresDeploymentFeedRelay> logger) : BackgroundService
{
    public const string Channel = "portal_deployment_changes";

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);
    private readonly Guid _replica = Guid.NewGuid();
    private readonly Channel<DeploymentChange> _outgoing = System.Threading.Channels.Channel.CreateBounded<DeploymentChange>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private sealed record Message(Guid Replica, Guid? RequestId, string? StackName, string What);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Value.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        feed.Changed += OnLocalChange;
        try
        {
            await Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));
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

    private void OnLocalChange(object? sender, DeploymentChange change)
    {
        if (!change.FromOtherReplica)
        {
            _outgoing.Writer.TryWrite(change);
        }
    }

    private async Task SendAsync(CancellationToken ct)
    {
        await foreach (var change in _outgoing.Reader.ReadAllAsync(ct))
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.Value.ConnectionString);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("payload", JsonSerializer.Serialize(new Message(_replica, change.RequestId, change.StackName, change.What)));
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogSendFailed(logger, ex.Message);
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(database.Value.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                LogListenFailed(logger, ex.Message, Retry);
                await Task.Delay(Retry, clock, ct);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        Message? message;
        try
        {
            message = JsonSerializer.Deserialize<Message>(e.Payload);
        }
        catch (JsonException)
        {
            return;
        }

        if (message is null || message.Replica == _replica)
        {
            return;
        }

        feed.Publish(new DeploymentChange(message.RequestId, message.StackName, message.What) { FromOtherReplica = true });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell other replicas of a deployment change: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not hearing other replicas' deployment changes ({Reason}); listening again in {Retry}")]
    private static partial void LogListenFailed(ILogger logger, string reason, TimeSpan retry);
}
