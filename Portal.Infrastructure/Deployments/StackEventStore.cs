using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Infrastructure.Persistence;
using Portal.Core.Deployments;

namespace Portal.Infrastructure.Deployments;

/// <summary>
/// Keeps every stack event: reads CloudFormation's events newest first, a page at a time, until it reaches one it
/// already has (or one older than the operation it follows), and stores the new ones.
/// </summary>
public sealed class StackEventStore(ICloudFormationClient cloudFormation)
{
    /// <returns>The stack's events since <paramref name="since"/>, oldest first, including those stored before.</returns>
    public async Task<IReadOnlyList<StoredStackEvent>> SyncAsync(PortalDbContext db, string region, string stackName, string stackNameOrId, DateTimeOffset since, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var fresh = new List<StackEvent>();
        string? next = null;
        var reachedKnown = false;
        do
        {
            var page = await cloudFormation.DescribeStackEventsAsync(region, new DescribeStackEventsRequest { StackName = stackNameOrId, NextToken = next }, ct);
            var ids = page.StackEvents.Select(e => e.EventId).ToList();
            var known = await db.StackEvents.Where(e => ids.Contains(e.EventId)).Select(e => e.EventId).ToListAsync(ct);
            var knownSet = known.ToHashSet(StringComparer.Ordinal);
            foreach (var e in page.StackEvents)
            {
                if (knownSet.Contains(e.EventId) || e.Timestamp < since)
                {
                    reachedKnown = true;
                    break;
                }

                fresh.Add(e);
            }

            next = page.NextToken;
        }
        while (!reachedKnown && next is not null);

        foreach (var e in fresh.DistinctBy(e => e.EventId))
        {
            db.StackEvents.Add(new StoredStackEvent
            {
                EventId = e.EventId,
                StackName = stackName,
                Region = region,
                StackId = e.StackId,
                LogicalResourceId = e.LogicalResourceId,
                PhysicalResourceId = e.PhysicalResourceId,
                ResourceType = e.ResourceType,
                Timestamp = e.Timestamp,
                ResourceStatus = e.ResourceStatus,
                ResourceStatusReason = Cut(e.ResourceStatusReason, 4000),
                ClientRequestToken = e.ClientRequestToken,
            });
        }

        var stored = await db.StackEvents.AsNoTracking()
            .Where(e => e.Region == region && e.StackName == stackName && e.Timestamp >= since)
            .ToListAsync(ct);
        var pending = db.ChangeTracker.Entries<StoredStackEvent>().Where(x => x.State == EntityState.Added).Select(x => x.Entity)
            .Where(e => e.Region == region && e.StackName == stackName);
        return stored.Concat(pending).DistinctBy(e => e.EventId).OrderBy(e => e.Timestamp).ToList();
    }

    /// <summary>
    /// The reason to show for a failed stack operation: the first resource that failed, since what follows it
    /// (cancellations, the rollback) is only its consequence.
    /// </summary>
    public static string? FirstFailure(string stackName, IEnumerable<StoredStackEvent> eventsOldestFirst)
    {
        var first = eventsOldestFirst.FirstOrDefault(e => e.ResourceStatus is not null && e.ResourceStatus.EndsWith("_FAILED", StringComparison.Ordinal)
            && !string.IsNullOrWhiteSpace(e.ResourceStatusReason) && !IsCancellation(e.ResourceStatusReason!));
        return first is null
            ? null
            : $"{stackName}: {first.LogicalResourceId} ({first.ResourceType}) {first.ResourceStatus}: {first.ResourceStatusReason}";
    }

    private static bool IsCancellation(string reason) =>
        reason.Contains("Resource creation cancelled", StringComparison.OrdinalIgnoreCase) || reason.Contains("Resource update cancelled", StringComparison.OrdinalIgnoreCase);

    internal static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
