using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Notifications;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Notifications;

/// <summary>The outcome of one attempt: sent, or the error to record (and retry).</summary>
public sealed record SendOutcome(bool Sent, string? Error)
{
    public static SendOutcome Ok { get; } = new(true, null);

    public static SendOutcome Failed(string error) => new(false, error);
}

/// <summary>Carries a delivery over one channel. Must not throw for a delivery failure: it returns the error.</summary>
public interface INotificationTransport
{
    NotificationChannel Channel { get; }

    Task<SendOutcome> SendAsync(NotificationDelivery delivery, CancellationToken ct);
}

public sealed record DispatchResult(int Sent, int Retrying, int Failed, int LostClaims);

/// <summary>
/// Sends due deliveries. Each is claimed first with a conditional update on its <see cref="NotificationDelivery.ClaimVersion"/>
/// (provider-neutral: <c>UPDATE ... WHERE id = @id AND claim_version = @seen</c>), so two dispatchers on two replicas
/// never both send it. A claim holds the row for <see cref="ClaimDuration"/>; if the replica dies, the row is due again.
/// A failure is retried with exponential backoff until <see cref="NotificationOptions.MaxAttempts"/>, then marked failed.
/// </summary>
public sealed class NotificationDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory, IEnumerable<INotificationTransport> transports, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(2);

    private const int BatchSize = 50;

    public async Task<DispatchResult> SendDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        List<(Guid Id, int Version)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = (await db.NotificationDeliveries.AsNoTracking()
                .Where(d => (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending) && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).Take(BatchSize)
                .Select(d => new { d.Id, d.ClaimVersion }).ToListAsync(ct))
                .Select(d => (d.Id, d.ClaimVersion)).ToList();
        }

        int sent = 0, retrying = 0, failed = 0, lost = 0;
        var byChannel = transports.ToDictionary(t => t.Channel);
        foreach (var (id, version) in due)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var claimedUntil = clock.GetUtcNow() + ClaimDuration;
            var claimed = await db.NotificationDeliveries
                .Where(d => d.Id == id && d.ClaimVersion == version && (d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sending))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.ClaimVersion, version + 1)
                    .SetProperty(d => d.Status, DeliveryStatus.Sending)
                    .SetProperty(d => d.NextAttemptAt, claimedUntil), ct);
            if (claimed != 1)
            {
                lost++;
                continue;
            }

            var delivery = await db.NotificationDeliveries.SingleAsync(d => d.Id == id, ct);
            var outcome = byChannel.TryGetValue(delivery.Channel, out var transport)
                ? await transport.SendAsync(delivery, ct)
                : SendOutcome.Failed($"No {delivery.Channel} channel is configured.");
            Record(delivery, outcome, options.Value.Retries, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            switch (delivery.Status)
            {
                case DeliveryStatus.Sent: sent++; break;
                case DeliveryStatus.Failed: failed++; break;
                default: retrying++; break;
            }
        }

        return new(sent, retrying, failed, lost);
    }

    /// <summary>Deliveries that gave up, newest first, for the admins' view.</summary>
    public async Task<IReadOnlyList<NotificationDelivery>> FailedAsync(int max, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.NotificationDeliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Failed)
            .OrderByDescending(d => d.CreatedAt).Take(max).ToListAsync(ct);
    }

    private static void Record(NotificationDelivery delivery, SendOutcome outcome, RetrySchedule retries, DateTimeOffset now)
    {
        delivery.Attempts++;
        if (outcome.Sent)
        {
            delivery.Status = DeliveryStatus.Sent;
            delivery.SentAt = now;
            delivery.LastError = null;
            return;
        }

        delivery.LastError = outcome.Error is { Length: > 2000 } tooLong ? tooLong[..2000] : outcome.Error;
        if (retries.DelayAfter(delivery.Attempts) is { } delay)
        {
            delivery.Status = DeliveryStatus.Pending;
            delivery.NextAttemptAt = now + delay;
        }
        else
        {
            delivery.Status = DeliveryStatus.Failed;
        }
    }
}
