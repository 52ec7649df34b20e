using Microsoft.Extensions.Options;
using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Infrastructure.Content;
using Portal.Infrastructure.Persistence;
using Portal.Core.Deployments;
using Portal.Core.Templates;

namespace Portal.Infrastructure.Deployments;

/// <summary>
/// Moves one stack operation forward: create or update through a change set (an empty one is "no changes"),
/// execute it with the attempt's token, follow the stack to a terminal state; or delete the stack. Every step is
/// saved before the AWS call it leads to, and every call is one CloudFormation recognises when repeated (same change
/// set name and client token, same request token), so a crash or a lost answer never does anything twice.
/// </summary>
/// <param name="aws">Where the service role comes from (<see cref="AwsSettings.CloudFormationRoleArn"/>); null passes none.</param>
/// <param name="content">Empties a site stack's content bucket before the stack is deleted (CloudFormation deletes only empty buckets).</param>
public sealed class StackDeployer(
    ICloudFormationClient cloudFormation, StackEventStore events, TimeProvider clock, IOptions<DeploymentOptions> options, AwsSettings? aws = null, IContentStore? content = null,
    AwsAccountContext? accountContext = null)
{
    /// <summary>How far before an operation's start events are read back, beyond those already stored.</summary>
    internal static readonly TimeSpan EventMargin = TimeSpan.FromHours(1);

    /// <summary>Advances until the operation has to wait for AWS or is done; saves after each step.</summary>
    public async Task AdvanceAsync(PortalDbContext db, StackOperation op, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(op);
        try
        {
            while (!op.IsDone && op.NextCheckAt <= clock.GetUtcNow())
            {
                var before = op.Step;
                await StepAsync(db, op, ct);
                op.UpdatedAt = clock.GetUtcNow();
                await db.SaveChangesAsync(ct);
                if (op.Step == before)
                {
                    break;
                }
            }
        }
        catch (AmazonServiceException ex) when (!IsTransient(ex))
        {
            Fail(op, $"{op.StackName}: CloudFormation refused {op.Step}: {ex.Message}");
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Worth retrying later (AWS busy or failing); anything else is a refusal that retrying does not change.</summary>
    internal static bool IsTransient(AmazonServiceException ex) => (int)ex.StatusCode >= 500 || ex.ErrorCode is "Throttling" or "ThrottlingException";

    private async Task StepAsync(PortalDbContext db, StackOperation op, CancellationToken ct)
    {
        switch (op.Step)
        {
            case StackStep.Pending:
                await StartAsync(db, op, ct);
                break;
            case StackStep.CreatingChangeSet:
                await CreateChangeSetAsync(op, ct);
                break;
            case StackStep.AwaitingChangeSet:
                await AwaitChangeSetAsync(db, op, ct);
                break;
            case StackStep.Executing:
                await cloudFormation.ExecuteChangeSetAsync(op.Region, new ExecuteChangeSetRequest
                {
                    ChangeSetName = op.ChangeSetName!, StackName = op.StackName, ClientRequestToken = op.ClientRequestToken,
                }, ct);
                op.Step = StackStep.Tracking;
                PollSoon(op);
                break;
            case StackStep.Tracking:
            case StackStep.Deleting:
                await TrackAsync(db, op, ct);
                break;
        }
    }

    private async Task StartAsync(PortalDbContext db, StackOperation op, CancellationToken ct)
    {
        var stack = await DescribeAsync(op.Region, op.StackId ?? op.StackName, ct);
        if (stack is not null && StackStatus.IsInProgress(stack.StackStatus))
        {
            // Someone else's operation is running on this stack: wait for it, never interrupt it.
            op.StackStatus = stack.StackStatus;
            PollLater(op);
            return;
        }

        op.Attempt++;
        op.ClientRequestToken = $"portal-{op.Id:N}-{op.Attempt}";
        if (op.Action == RunAction.Delete)
        {
            if (stack is null || stack.StackStatus == StackStatus.DeleteComplete)
            {
                op.Step = StackStep.Succeeded;
                op.FinishedAt = clock.GetUtcNow();
                await MarkTrackedAsync(db, op, null, deleted: true, ct);
                return;
            }

            // Decommission removes the site's content with it: S3 refuses to delete a bucket that holds any object
            // version, and a pipeline may have written more since the last attempt, so it is emptied on every attempt.
            if (op.Kind == StackKind.Site && content is not null
                && stack.Outputs.FirstOrDefault(o => o.OutputKey == "ContentBucketName")?.OutputValue is { Length: > 0 } bucket)
            {
                await content.EmptyBucketAsync(bucket, ct);
            }

            await StartDeletingAsync(op, stack.StackId, ct);
            return;
        }

        if (stack is not null && stack.StackStatus is StackStatus.RollbackComplete or "ROLLBACK_FAILED")
        {
            // A stack whose creation failed cannot be updated; CloudFormation requires deleting it first.
            await StartDeletingAsync(op, stack.StackId, ct);
            return;
        }

        op.ChangeSetType = stack is null || stack.StackStatus == StackStatus.ReviewInProgress ? ChangeSetType.Create : ChangeSetType.Update;
        op.ChangeSetName = $"portal-{op.RunId.ToString("N")[..12]}-{op.Sequence}-{op.Attempt}";
        op.StackId = stack?.StackId;
        op.Step = StackStep.CreatingChangeSet;
    }

    /// <summary>Asks CloudFormation to delete the stack, with this attempt's token, and polls until it is gone.</summary>
    private async Task StartDeletingAsync(StackOperation op, string stackId, CancellationToken ct)
    {
        op.StackId = stackId;
        op.StartedAt = clock.GetUtcNow();
        await cloudFormation.DeleteStackAsync(op.Region, new DeleteStackRequest { StackName = stackId, ClientRequestToken = op.ClientRequestToken }, ct);
        op.Step = StackStep.Deleting;
        PollSoon(op);
    }

    private async Task CreateChangeSetAsync(StackOperation op, CancellationToken ct)
    {
        try
        {
            var created = await cloudFormation.CreateChangeSetAsync(op.Region,
                ChangeSetRequest(op.StackName, op.ChangeSetName!, op.ChangeSetType!, op.TemplateBody, op.ParametersJson, op.TagsJson, op.ClientRequestToken), ct);
            op.ChangeSetId = created.Id;
            op.StackId = created.StackId;
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "AlreadyExistsException")
        {
            // Our own change set, created by an earlier call whose answer was lost: carry on with it.
        }

        op.Step = StackStep.AwaitingChangeSet;
        op.NextCheckAt = clock.GetUtcNow() + options.Value.ActivePollMin;
    }

    private CreateChangeSetRequest ChangeSetRequest(string stackName, string changeSetName, string type, string templateBody, string parametersJson, string tagsJson, string? token)
    {
        var parameters = JsonSerializer.Deserialize<List<Parameter>>(parametersJson) ?? [];
        return new CreateChangeSetRequest
        {
            StackName = stackName,
            ChangeSetName = changeSetName,
            ChangeSetType = type,
            TemplateBody = templateBody,
            Parameters = parameters,
            Capabilities = StackCapabilities.Required(templateBody, parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue, StringComparer.Ordinal)),
            Tags = JsonSerializer.Deserialize<List<Tag>>(tagsJson) ?? [],
            ClientToken = token,
            Description = "Deployed by the portal",
            RoleArn = accountContext?.Current is { } account ? account.CloudFormationRoleArn(aws?.CloudFormationRoleArn)
                : string.IsNullOrEmpty(aws?.CloudFormationRoleArn) ? null : aws.CloudFormationRoleArn,
        };
    }

    // ---------------------------------------------------------------- production plans

    /// <summary>
    /// Creates a plan's change set for one production stack, not executed: CREATE for a stack that does not exist yet
    /// (CloudFormation then holds it in REVIEW_IN_PROGRESS), UPDATE otherwise. A stack busy with another operation is
    /// left Creating without a change set and tried again on the next pass; one whose first creation failed must be
    /// deleted before anything can create it, which a plan does not do, so it is marked Recreate.
    /// </summary>
    public async Task<PlannedStack> StartPlanAsync(PlannedStack planned, string templateBody, string parametersJson, string tagsJson, string token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var stack = await DescribeAsync(planned.Region, planned.StackName, ct);
        if (stack is not null && stack.StackStatus is StackStatus.RollbackComplete or "ROLLBACK_FAILED")
        {
            return planned with
            {
                Status = PlannedStackStatus.Recreate, StackId = stack.StackId,
                StatusReason = $"The stack's first creation failed ({stack.StackStatus}): promotion deletes it and creates it again from the reviewed template.",
            };
        }

        if (stack is not null && StackStatus.IsInProgress(stack.StackStatus) && stack.StackStatus != StackStatus.ReviewInProgress)
        {
            return planned with { StatusReason = $"Waiting for the stack's current operation ({stack.StackStatus}) to end." };
        }

        var type = stack is null || stack.StackStatus == StackStatus.ReviewInProgress ? ChangeSetType.Create : ChangeSetType.Update;
        var result = planned with { ChangeSetType = type, StackId = stack?.StackId, StatusReason = null };
        try
        {
            var created = await cloudFormation.CreateChangeSetAsync(planned.Region,
                ChangeSetRequest(planned.StackName, planned.ChangeSetName, type, templateBody, parametersJson, tagsJson, token), ct);
            return result with { ChangeSetId = created.Id, StackId = created.StackId };
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "AlreadyExistsException")
        {
            // Made by an earlier pass whose answer was lost: describing it finds its id.
            return result with { ChangeSetId = "" };
        }
    }

    /// <summary>Describes a plan's change set: Ready with every resource change (action, replacement, scope, the details causing it), NoChanges, Failed, or still Creating.</summary>
    public async Task<PlannedStack> DescribePlanAsync(PlannedStack planned, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var changes = new List<PlannedChange>();
        string? next = null;
        DescribeChangeSetResponse changeSet;
        do
        {
            changeSet = await cloudFormation.DescribeChangeSetAsync(planned.Region,
                new DescribeChangeSetRequest { ChangeSetName = planned.ChangeSetName, StackName = planned.StackName, NextToken = next }, ct);
            changes.AddRange(changeSet.Changes.Select(c => new PlannedChange(c.Action, c.LogicalResourceId, c.PhysicalResourceId, c.ResourceType, c.Replacement, c.Scope,
                [.. c.Details.Select(d => new PlannedChangeDetail(d.Attribute, d.Name, d.RequiresRecreation, d.Evaluation, d.ChangeSource, d.CausingEntity))])));
            next = changeSet.NextToken;
        }
        while (next is not null && changeSet.Status == ChangeSetStatus.CreateComplete);

        var described = planned with { ChangeSetId = changeSet.ChangeSetId, StackId = changeSet.StackId };
        return changeSet.Status switch
        {
            ChangeSetStatus.CreateComplete => described with { Status = PlannedStackStatus.Ready, Changes = changes },
            ChangeSetStatus.Failed when IsNoChanges(changeSet.StatusReason) => described with { Status = PlannedStackStatus.NoChanges, StatusReason = "No changes: production already matches." },
            ChangeSetStatus.Failed => described with { Status = PlannedStackStatus.Failed, StatusReason = changeSet.StatusReason },
            _ => described,
        };
    }

    /// <summary>Deletes a replaced plan's change set, so nobody executes it by hand; one already gone is fine.</summary>
    public async Task DiscardPlanAsync(PlannedStack planned, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(planned);
        if (planned.ChangeSetId is null)
        {
            return;
        }

        try
        {
            await cloudFormation.DeleteChangeSetAsync(planned.Region, new DeleteChangeSetRequest { ChangeSetName = planned.ChangeSetName, StackName = planned.StackName }, ct);
        }
        catch (AmazonServiceException ex) when (!IsTransient(ex))
        {
            // Already gone, or the stack was deleted with it: nothing left to execute.
        }
    }

    private async Task AwaitChangeSetAsync(PortalDbContext db, StackOperation op, CancellationToken ct)
    {
        var changeSet = await cloudFormation.DescribeChangeSetAsync(op.Region, new DescribeChangeSetRequest { ChangeSetName = op.ChangeSetName!, StackName = op.StackName }, ct);
        op.ChangeSetId = changeSet.ChangeSetId;
        op.StackId = changeSet.StackId;
        switch (changeSet.Status)
        {
            case ChangeSetStatus.CreateComplete:
                op.ChangeCount = changeSet.Changes.Count;
                op.Step = StackStep.Executing;
                break;
            case ChangeSetStatus.Failed when IsNoChanges(changeSet.StatusReason):
                op.ChangeCount = 0;
                op.Step = StackStep.NoChanges;
                op.FinishedAt = clock.GetUtcNow();
                await cloudFormation.DeleteChangeSetAsync(op.Region, new DeleteChangeSetRequest { ChangeSetName = op.ChangeSetName!, StackName = op.StackName }, ct);
                var stack = await DescribeAsync(op.Region, op.StackName, ct);
                await MarkTrackedAsync(db, op, stack, deleted: false, ct);
                break;
            case ChangeSetStatus.Failed:
                Fail(op, $"{op.StackName}: the change set failed: {changeSet.StatusReason}");
                break;
            default:
                op.NextCheckAt = clock.GetUtcNow() + options.Value.ActivePollMin;
                break;
        }
    }

    private async Task TrackAsync(PortalDbContext db, StackOperation op, CancellationToken ct)
    {
        var id = op.StackId ?? op.StackName;
        var history = await events.SyncAsync(db, op.Region, op.StackName, id, op.StartedAt - EventMargin, ct);
        var stackEvent = history.LastOrDefault(e => e.LogicalResourceId == op.StackName && e.ResourceType == "AWS::CloudFormation::Stack");
        if (stackEvent is not null && StackStatus.IsInProgress(stackEvent.ResourceStatus))
        {
            op.StackStatus = stackEvent.ResourceStatus;
            PollLater(op);
            return;
        }

        // The events say it may have ended: the stack's own description is the authority (and has the outputs).
        var stack = await DescribeAsync(op.Region, id, ct);
        op.StackStatus = stack?.StackStatus ?? StackStatus.DeleteComplete;
        if (stack is not null && StackStatus.IsInProgress(stack.StackStatus))
        {
            PollLater(op);
            return;
        }

        var deleting = op.Step == StackStep.Deleting;
        if (deleting && op.StackStatus == StackStatus.DeleteComplete)
        {
            await MarkTrackedAsync(db, op, null, deleted: true, ct);
            if (op.Action == RunAction.Deploy)
            {
                // The failed first creation is gone: start again with a fresh change set.
                op.Step = StackStep.Pending;
                op.StackId = null;
                op.NextCheckAt = clock.GetUtcNow();
                return;
            }

            op.Step = StackStep.Succeeded;
            op.FinishedAt = clock.GetUtcNow();
            return;
        }

        await MarkTrackedAsync(db, op, stack, deleted: false, ct);
        if (!deleting && StackStatus.IsSuccess(op.StackStatus) && op.StackStatus != StackStatus.DeleteComplete)
        {
            op.Step = StackStep.Succeeded;
            op.FinishedAt = clock.GetUtcNow();
            return;
        }

        var reason = StackEventStore.FirstFailure(op.StackName, OfThisAttempt(op, history))
            ?? $"{op.StackName}: {op.StackStatus}{(stack?.StackStatusReason is { } r ? ": " + r : "")}";
        Fail(op, reason);
    }

    /// <summary>
    /// The events this attempt caused: CloudFormation stamps them with the attempt's token; events without one are
    /// taken from the attempt's start (AWS's clock and the portal's may differ by a little, hence the margin).
    /// </summary>
    private static IEnumerable<StoredStackEvent> OfThisAttempt(StackOperation op, IReadOnlyList<StoredStackEvent> history) =>
        history.Where(e => e.ClientRequestToken is not null ? e.ClientRequestToken == op.ClientRequestToken : e.Timestamp >= op.StartedAt - TimeSpan.FromMinutes(1));

    private async Task<Stack?> DescribeAsync(string region, string nameOrId, CancellationToken ct)
    {
        try
        {
            var stacks = (await cloudFormation.DescribeStacksAsync(region, new DescribeStacksRequest { StackName = nameOrId }, ct)).Stacks;
            return stacks.Count > 0 ? stacks[0] : null;
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "ValidationError" && ex.Message.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }
    }

    /// <summary>Records what the operation learnt in the portal's view of the stack, which the tracker then watches.</summary>
    private async Task MarkTrackedAsync(PortalDbContext db, StackOperation op, Stack? stack, bool deleted, CancellationToken ct)
    {
        var run = await db.DeploymentRuns.AsNoTracking().SingleAsync(r => r.Id == op.RunId, ct);
        var tracked = await db.Stacks.SingleOrDefaultAsync(s => s.Region == op.Region && s.StackName == op.StackName, ct);
        var now = clock.GetUtcNow();
        if (tracked is null)
        {
            tracked = new TrackedStack
            {
                Id = Guid.CreateVersion7(now),
                StackName = op.StackName,
                Region = op.Region,
                Account = op.Account,
                NextDriftCheckAt = now + options.Value.DriftCheckInterval,
            };
            db.Stacks.Add(tracked);
        }

        tracked.Kind = op.Kind;
        // The shared stack and headers stacks serve many requests: they belong to none.
        var shared = op.Kind is StackKind.Shared or StackKind.Headers;
        tracked.RequestId = shared ? null : run.RequestId;
        tracked.Environment = shared ? null : run.Environment;
        tracked.Deleted = deleted;
        tracked.StackId = stack?.StackId ?? op.StackId;
        tracked.Status = deleted ? StackStatus.DeleteComplete : stack?.StackStatus;
        tracked.StatusReason = StackEventStore.Cut(stack?.StackStatusReason, 4000);
        tracked.LastUpdatedTime = stack?.LastUpdatedTime ?? stack?.CreationTime;
        if (stack is not null)
        {
            tracked.OutputsJson = JsonSerializer.Serialize(stack.Outputs.ToDictionary(o => o.OutputKey, o => o.OutputValue));
            tracked.DriftStatus = stack.StackDriftStatus ?? tracked.DriftStatus;
        }

        tracked.LastCheckedAt = now;
        tracked.NextCheckAt = now + options.Value.StableCheckInterval;
    }

    private void Fail(StackOperation op, string message)
    {
        op.Step = StackStep.Failed;
        op.FailureMessage = StackEventStore.Cut(message, 4000);
        op.FinishedAt = clock.GetUtcNow();
    }

    private void PollSoon(StackOperation op)
    {
        op.PollSeconds = options.Value.ActivePollMin.TotalSeconds;
        op.NextCheckAt = clock.GetUtcNow() + options.Value.ActivePollMin;
    }

    /// <summary>A stack that keeps changing is checked a little less often each time, up to the maximum wait.</summary>
    private void PollLater(StackOperation op)
    {
        var seconds = op.PollSeconds <= 0 ? options.Value.ActivePollMin.TotalSeconds : Math.Min(options.Value.ActivePollMax.TotalSeconds, op.PollSeconds * options.Value.ActivePollGrowth);
        op.PollSeconds = seconds;
        op.NextCheckAt = clock.GetUtcNow() + TimeSpan.FromSeconds(seconds);
    }

    private static bool IsNoChanges(string? reason) => reason is not null &&
        (reason.Contains("didn't contain changes", StringComparison.OrdinalIgnoreCase) || reason.Contains("No updates are to be performed", StringComparison.OrdinalIgnoreCase));

    internal static string Describe(StackOperation op) => string.Create(CultureInfo.InvariantCulture, $"{op.StackName} ({op.Region}) {op.Step}");
}
