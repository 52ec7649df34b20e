using Microsoft.Extensions.Options;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Infrastructure.Persistence;
using Portal.Core.Deployments;

namespace Portal.Infrastructure.Deployments;

/// <summary>
/// Keeps the portal's view of every stack true without polling each one every minute: resting stacks are checked
/// together, one paged listing per region every <see cref="DeploymentOptions.StableCheckInterval"/>; a stack found
/// changing outside a portal deployment is followed closely (events and status, waits growing to
/// <see cref="DeploymentOptions.ActivePollMax"/>) until it rests; drift is detected per stack on a schedule spread
/// over <see cref="DeploymentOptions.DriftCheckInterval"/>, or at once on demand.
/// </summary>
public sealed class StackTracker(IDbContextFactory<PortalDbContext> dbFactory, ICloudFormationClient cloudFormation, StackEventStore events,
    DeploymentStatusFeed feed, TimeProvider clock, IOptions<DeploymentOptions> options,
    Aws.AwsAccountContext? accountContext = null, Accounts.TargetAccountDirectory? accounts = null)
{
    /// <summary>Signs the calls about a stack with the credentials of the account it lives in.</summary>
    private IDisposable? InAccount(string? account) => accountContext?.Use(accounts?.Find(account));

    public async Task RunAsync(CancellationToken ct = default)
    {
        await SweepRegionsAsync(ct);
        await FollowChangingStacksAsync(ct);
        await DetectDriftAsync(ct);
    }

    /// <summary>Schedules drift detection of one stack for the next pass.</summary>
    public async Task<bool> RequestDriftCheckAsync(Guid trackedStackId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        return await db.Stacks.Where(s => s.Id == trackedStackId && !s.Deleted)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextDriftCheckAt, now), ct) == 1;
    }

    private async Task SweepRegionsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        // One listing per account and region: an account's listing shows only its own stacks.
        var regions = (await db.Stacks.Where(s => !s.Deleted && s.NextCheckAt <= now).Select(s => new { s.Account, s.Region }).Distinct().ToListAsync(ct))
            .Select(s => (s.Account, s.Region)).ToList();
        foreach (var (account, region) in regions)
        {
            using var scope = InAccount(account);
            var busy = await BusyStacksAsync(db, region, ct);
            var tracked = (await db.Stacks.Where(s => s.Region == region && s.Account == account && !s.Deleted).ToListAsync(ct))
                .Where(s => !busy.Contains(s.StackName) && !StackStatus.IsInProgress(s.Status)).ToList();
            if (tracked.Count == 0 || tracked.All(s => s.NextCheckAt > now))
            {
                continue;
            }

            var seen = new Dictionary<string, Stack>(StringComparer.Ordinal);
            string? next = null;
            do
            {
                var page = await cloudFormation.DescribeStacksAsync(region, new DescribeStacksRequest { NextToken = next }, ct);
                foreach (var stack in page.Stacks)
                {
                    seen[stack.StackName] = stack;
                }

                next = page.NextToken;
            }
            while (next is not null);

            foreach (var stack in tracked)
            {
                if (seen.TryGetValue(stack.StackName, out var found))
                {
                    Apply(stack, found);
                }
                else
                {
                    stack.Deleted = true;
                    stack.Status = StackStatus.DeleteComplete;
                    feed.Publish(new DeploymentChange(stack.RequestId, stack.StackName, "deleted outside the portal"));
                }

                stack.LastCheckedAt = now;
                stack.NextCheckAt = StackStatus.IsInProgress(stack.Status) ? now + options.Value.ActivePollMin : now + options.Value.StableCheckInterval;
                stack.PollSeconds = options.Value.ActivePollMin.TotalSeconds;
            }

            await db.SaveChangesAsync(ct);
        }
    }

    private async Task FollowChangingStacksAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var due = (await db.Stacks.Where(s => !s.Deleted && s.NextCheckAt <= now).ToListAsync(ct))
            .Where(s => StackStatus.IsInProgress(s.Status)).ToList();
        foreach (var stack in due)
        {
            var busy = await BusyStacksAsync(db, stack.Region, ct);
            if (busy.Contains(stack.StackName))
            {
                continue;
            }

            try
            {
                using var scope = InAccount(stack.Account);
                await events.SyncAsync(db, stack.Region, stack.StackName, stack.StackId ?? stack.StackName, (stack.LastCheckedAt ?? now) - StackDeployer.EventMargin, ct);
                var described = await cloudFormation.DescribeStacksAsync(stack.Region, new DescribeStacksRequest { StackName = stack.StackId ?? stack.StackName }, ct);
                if (described.Stacks.Count > 0)
                {
                    Apply(stack, described.Stacks[0]);
                    stack.Deleted = described.Stacks[0].StackStatus == StackStatus.DeleteComplete;
                }
            }
            catch (AmazonServiceException ex) when (ex.ErrorCode == "ValidationError" && ex.Message.Contains("does not exist", StringComparison.Ordinal))
            {
                stack.Deleted = true;
                stack.Status = StackStatus.DeleteComplete;
            }

            stack.LastCheckedAt = now;
            if (StackStatus.IsInProgress(stack.Status))
            {
                stack.PollSeconds = stack.PollSeconds <= 0 ? options.Value.ActivePollMin.TotalSeconds : Math.Min(options.Value.ActivePollMax.TotalSeconds, stack.PollSeconds * options.Value.ActivePollGrowth);
                stack.NextCheckAt = now + TimeSpan.FromSeconds(stack.PollSeconds);
            }
            else
            {
                stack.NextCheckAt = now + options.Value.StableCheckInterval;
                feed.Publish(new DeploymentChange(stack.RequestId, stack.StackName, stack.Status ?? ""));
            }

            await db.SaveChangesAsync(ct);
        }
    }

    private async Task DetectDriftAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var due = await db.Stacks.Where(s => !s.Deleted && s.NextDriftCheckAt <= now).OrderBy(s => s.NextDriftCheckAt).ToListAsync(ct);
        var started = 0;
        var turned = new List<(Guid StackId, Guid? RequestId, string Reason)>();
        var changed = new List<DeploymentChange>();
        foreach (var stack in due)
        {
            using var scope = InAccount(stack.Account);
            if (stack.DriftDetectionId is not null)
            {
                var status = await cloudFormation.DescribeStackDriftDetectionStatusAsync(stack.Region, new DescribeStackDriftDetectionStatusRequest { StackDriftDetectionId = stack.DriftDetectionId }, ct);
                if (status.DetectionStatus == "DETECTION_IN_PROGRESS")
                {
                    stack.NextDriftCheckAt = now + options.Value.ActivePollMax;
                }
                else
                {
                    var previous = stack.DriftStatus;
                    stack.DriftStatus = status.DetectionStatus == "DETECTION_FAILED" ? StackDrift.Unknown : status.StackDriftStatus;
                    stack.DriftCheckedAt = now;
                    stack.DriftDetectionId = null;
                    stack.NextDriftCheckAt = now + options.Value.DriftCheckInterval;
                    var drifted = status.StackDriftStatus == StackDrift.Drifted && status.DetectionStatus != "DETECTION_FAILED"
                        ? await DriftedResourcesAsync(stack, ct)
                        : [];
                    stack.DriftedResourcesJson = StackDrift.SerializeResources(drifted);
                    if (StackDrift.TurnedDrifted(previous, stack.DriftStatus))
                    {
                        turned.Add((stack.Id, stack.RequestId, StackDrift.AuditReason(stack.Environment, stack.StackName, drifted)));
                    }

                    changed.Add(new DeploymentChange(stack.RequestId, stack.StackName, "drift " + stack.DriftStatus));
                }
            }
            else if (started < options.Value.MaxDriftDetectionsPerPass && !StackStatus.IsInProgress(stack.Status)
                && !(await BusyStacksAsync(db, stack.Region, ct)).Contains(stack.StackName))
            {
                try
                {
                    var detection = await cloudFormation.DetectStackDriftAsync(stack.Region, new DetectStackDriftRequest { StackName = stack.StackId ?? stack.StackName }, ct);
                    stack.DriftDetectionId = detection.StackDriftDetectionId;
                    stack.NextDriftCheckAt = now + options.Value.ActivePollMax;
                    started++;
                }
                catch (AmazonServiceException ex) when (ex.ErrorCode == "ValidationError")
                {
                    // The stack is busy or gone; the next sweep finds out which, and drift is checked on the next round.
                    stack.NextDriftCheckAt = now + options.Value.DriftCheckInterval;
                }
            }
            else
            {
                continue;
            }

            await db.SaveChangesAsync(ct);
        }

        foreach (var (_, requestId, reason) in turned)
        {
            if (requestId is { } id)
            {
                await RecordDriftAsync(id, reason, ct);
            }
        }

        foreach (var change in changed)
        {
            feed.Publish(change);
        }
    }

    /// <summary>Every resource that differs from the template, with its property differences, all pages.</summary>
    private async Task<List<DriftedResource>> DriftedResourcesAsync(TrackedStack stack, CancellationToken ct)
    {
        var result = new List<DriftedResource>();
        string? next = null;
        do
        {
            var page = await cloudFormation.DescribeStackResourceDriftsAsync(stack.Region, new DescribeStackResourceDriftsRequest
            {
                StackName = stack.StackId ?? stack.StackName, StackResourceDriftStatusFilters = ["MODIFIED", "DELETED"], NextToken = next,
            }, ct);
            result.AddRange(page.StackResourceDrifts.Select(d => new DriftedResource(
                d.LogicalResourceId, d.ResourceType, d.PhysicalResourceId, d.StackResourceDriftStatus,
                [.. d.PropertyDifferences.Select(p => new PropertyDrift(p.PropertyPath, p.ExpectedValue, p.ActualValue, p.DifferenceType))])));
            next = page.NextToken;
        }
        while (next is not null);
        return result;
    }

    /// <summary>
    /// The request's audit trail says its stack drifted: a separate save after the stack's, retried when a person's
    /// action on the request got in first, so a busy request never loses the event nor holds up tracking.
    /// </summary>
    private async Task RecordDriftAsync(Guid requestId, string reason, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var request = await db.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).AsSplitQuery().SingleOrDefaultAsync(r => r.Id == requestId, ct);
            if (request is null)
            {
                return;
            }

            request.RecordDrift(StackDrift.DriftDetectedAction, reason, clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(ct);
                feed.Publish(new DeploymentChange(requestId, null, StackDrift.DriftDetectedAction));
                return;
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // The request changed between loading and saving: load again.
            }
        }
    }

    private static async Task<HashSet<string>> BusyStacksAsync(PortalDbContext db, string region, CancellationToken ct) =>
        (await db.StackOperations.AsNoTracking()
            .Where(o => o.Region == region && o.Step != StackStep.Succeeded && o.Step != StackStep.NoChanges && o.Step != StackStep.Failed)
            .Select(o => o.StackName).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    private static void Apply(TrackedStack tracked, Stack stack)
    {
        tracked.StackId = stack.StackId;
        tracked.Status = stack.StackStatus;
        tracked.StatusReason = StackEventStore.Cut(stack.StackStatusReason, 4000);
        tracked.LastUpdatedTime = stack.LastUpdatedTime ?? stack.CreationTime;
        tracked.OutputsJson = JsonSerializer.Serialize(stack.Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue));
        // A detection started elsewhere (the console) shows here, except that turning drifted is left to the tracker's
        // own check, which fetches the differences and records the audit event once.
        if (stack.StackDriftStatus is not null && stack.StackDriftStatus != StackDrift.NotChecked
            && !StackDrift.TurnedDrifted(tracked.DriftStatus, stack.StackDriftStatus))
        {
            tracked.DriftStatus = stack.StackDriftStatus;
        }
        else if (StackDrift.TurnedDrifted(tracked.DriftStatus, stack.StackDriftStatus) && tracked.DriftDetectionId is null)
        {
            tracked.NextDriftCheckAt = tracked.LastCheckedAt ?? tracked.NextDriftCheckAt;
        }
    }
}
