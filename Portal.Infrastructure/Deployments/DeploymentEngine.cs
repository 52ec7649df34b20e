using Microsoft.Extensions.Options;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFront;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Observability;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Core.Deployments;

namespace Portal.Infrastructure.Deployments;

public enum EnginePassOutcome
{
    /// <summary>No credentials: nothing was deployed and no AWS API was called.</summary>
    PlanOnly,

    /// <summary>Another replica holds the deployment lease.</summary>
    NotLeader,

    Worked,
}

/// <summary>
/// The deployment engine, one pass at a time: starts deployments for requests the workflow hands over, moves every
/// stack operation forward, copies a site's content to production after its production stacks, reports each outcome back to
/// the workflow (a failure with the reason of the first failed resource), and keeps the view of every stack fresh.
/// All of its state is in the database, so a restarted portal, or another replica taking over the lease, carries on
/// exactly where the last pass stopped.
/// </summary>
public sealed partial class DeploymentEngine(
    IDbContextFactory<PortalDbContext> dbFactory,
    RequestService requests,
    IDeploymentStackSource stacks,
    StackDeployer deployer,
    StackTracker tracker,
    ICloudFrontClient cloudFront,
    IContentStore contentStore,
    AwsAccess access,
    WorkLeases leases,
    DeploymentStatusFeed feed,
    TimeProvider clock,
    IOptions<DeploymentOptions> options,
    ILogger<DeploymentEngine>? logger = null,
    PortalMetrics? metrics = null,
    IDeploymentPreflight? preflight = null,
    AwsAccountContext? accountContext = null,
    Accounts.TargetAccountDirectory? accounts = null)
{
    /// <summary>Signs the calls of one stack or request with the credentials of the account it lives in.</summary>
    private IDisposable? InAccount(string? account) => accountContext?.Use(accounts?.Find(account));

    public const string LeaseName = "deployment-engine";
    private readonly ILogger _logger = logger ?? NullLogger<DeploymentEngine>.Instance;
    private DateTimeOffset _nextTemplateUpgradeCheck = DateTimeOffset.MinValue;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Id, int Version), DateTimeOffset?> _retiringUntil = new();

    /// <summary>Identifies this replica in the lease table: host and process id tell an operator which process holds the lease.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public async Task<EnginePassOutcome> RunOnceAsync(CancellationToken ct = default)
    {
        var status = await access.GetStatusAsync(ct);
        if (!status.CanDeploy)
        {
            return EnginePassOutcome.PlanOnly;
        }

        if (!await leases.TryAcquireAsync(LeaseName, Owner, options.Value.LeaseDuration, ct))
        {
            return EnginePassOutcome.NotLeader;
        }

        if (accounts is not null)
        {
            // Accounts registered or changed on another replica are seen by this pass.
            await accounts.RefreshAsync(ct);
        }

        await StartTemplateUpgradesIfDueAsync(ct);
        await SyncRequestsAsync(ct);
        await new TemplateUpgradeBatches(dbFactory, requests, stacks, clock).RequestApprovalsAsync(ct);
        await new ProductionPlanner(dbFactory, requests, stacks, deployer, feed, clock, _logger).RunAsync(ct);
        await EndRetirementsAsync(ct);
        await AdvanceRunsAsync(ct);
        await tracker.RunAsync(ct);
        return EnginePassOutcome.Worked;
    }

    private async Task StartTemplateUpgradesIfDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!options.Value.AutomaticTemplateUpgrades || now < _nextTemplateUpgradeCheck)
        {
            return;
        }

        _nextTemplateUpgradeCheck = now + options.Value.TemplateUpgradeCheckInterval;
        await new TemplateUpgrades(dbFactory, requests, stacks, _logger).StartAsync(ct);
    }

    // ---------------------------------------------------------------- workflow <-> runs

    private static readonly RequestState[] WatchedStates = [.. Enum.GetValues<RequestState>().Where(WorkflowRules.IsSystemWorking)];

    private async Task SyncRequestsAsync(CancellationToken ct)
    {
        List<(Guid Id, RequestState State, int Version)> watched;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            watched = (await db.Requests.AsNoTracking().Where(r => WatchedStates.Contains(r.State))
                .Select(r => new { r.Id, r.State, r.Version }).ToListAsync(ct))
                .Select(r => (r.Id, r.State, r.Version)).ToList();
        }

        foreach (var (id, state, version) in watched)
        {
            var current = (State: state, Version: version);
            if (state is RequestState.Submitted or RequestState.Approved)
            {
                var start = state == RequestState.Submitted ? WorkflowAction.StartTestingDeployment : WorkflowAction.StartProductionDeployment;
                var started = await requests.ApplyAsync(id, start, Actor.System, null, version, ct);
                if (!started.Succeeded)
                {
                    continue;
                }

                current = (started.State!.Value, version + 1);
            }

            await SyncDeployingAsync(id, current.State, current.Version, ct);
        }
    }

    private async Task SyncDeployingAsync(Guid requestId, RequestState state, int version, CancellationToken ct)
    {
        DeploymentRun? run;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            run = await db.DeploymentRuns.AsNoTracking().Where(r => r.RequestId == requestId && r.RequestVersion == version)
                .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(ct);
        }

        var (complete, fail) = state switch
        {
            RequestState.TestingDeploying => (WorkflowAction.CompleteTestingDeployment, WorkflowAction.FailTestingDeployment),
            RequestState.ProductionDeploying => (WorkflowAction.CompleteProductionDeployment, WorkflowAction.FailProductionDeployment),
            RequestState.RetirementDeploying => (WorkflowAction.CompleteRetirementDeployment, WorkflowAction.FailRetirementDeployment),
            _ => (WorkflowAction.CompleteDecommission, WorkflowAction.FailDecommission),
        };

        if (run is null)
        {
            var problem = await CreateRunAsync(requestId, state, version, ct);
            if (problem is not null)
            {
                // Failed before any stack was touched (nothing to deploy could be rendered); counted once, by the pass that recorded it.
                var failed = await requests.ApplyAsync(requestId, fail, Actor.System, problem, version, ct);
                if (failed.Succeeded)
                {
                    metrics?.Deployment(EnvironmentTag(EnvironmentOf(state)), Outcome(RunStatus.Failed));
                }

                Publish(requestId, null, "failed");
            }

            return;
        }

        if (run.Status == RunStatus.Succeeded)
        {
            await requests.ApplyAsync(requestId, complete, Actor.System, state == RequestState.ProductionDeploying ? await ExecutedChangeSetsAsync(run.Id, ct) : null, version, ct);
            Publish(requestId, null, "completed");
        }
        else if (run.Status == RunStatus.Failed)
        {
            await requests.ApplyAsync(requestId, fail, Actor.System, run.FailureMessage ?? "The deployment failed.", version, ct);
            Publish(requestId, null, "failed");
        }
    }

    /// <summary>What the audit trail records when production is live: the change sets executed, by id.</summary>
    private async Task<string?> ExecutedChangeSetsAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.StackOperations.AsNoTracking()
            .Where(o => o.RunId == runId && o.Step == StackStep.Succeeded && o.ChangeSetId != null && o.Action == RunAction.Deploy)
            .OrderBy(o => o.Sequence).Select(o => o.ChangeSetId!).ToListAsync(ct);
        return ids.Count == 0 ? "Executed change sets: none" : StackEventStore.Cut("Executed change sets: " + string.Join(", ", ids), 2000);
    }

    /// <summary>
    /// Retiring MTA-STS policies whose wait is over go on to decommissioning (the stacks and records are deleted). The
    /// moment comes from each request's audit trail; it is remembered per request version so that a pass reads only
    /// the state column of requests still waiting.
    /// </summary>
    private async Task EndRetirementsAsync(CancellationToken ct)
    {
        List<(Guid Id, int Version)> retiring;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            retiring = (await db.Requests.AsNoTracking().Where(r => r.State == RequestState.Retiring)
                .Select(r => new { r.Id, r.Version }).ToListAsync(ct)).Select(r => (r.Id, r.Version)).ToList();
        }

        var now = clock.GetUtcNow();
        foreach (var key in retiring)
        {
            if (!_retiringUntil.TryGetValue(key, out var until))
            {
                until = (await requests.GetAsync(key.Id, ct))?.RetiringUntil;
                _retiringUntil[key] = until;
            }

            if (until is { } due && now >= due)
            {
                var ended = await requests.ApplyAsync(key.Id, WorkflowAction.EndRetirement, Actor.System, null, key.Version, ct);
                _retiringUntil.TryRemove(key, out _);
                if (ended.Succeeded)
                {
                    Publish(key.Id, null, "retirement over");
                }
            }
        }

        foreach (var gone in _retiringUntil.Keys.Except(retiring).ToList())
        {
            _retiringUntil.TryRemove(gone, out _);
        }
    }

    /// <returns>A problem that prevents the deployment (shown to the requester), or null when the run was created.</returns>
    private async Task<string?> CreateRunAsync(Guid requestId, RequestState state, int version, CancellationToken ct)
    {
        var request = await requests.GetAsync(requestId, ct);
        if (request is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var run = new DeploymentRun
        {
            Id = Guid.CreateVersion7(now),
            RequestId = requestId,
            Revision = request.CurrentRevisionNumber,
            RequestVersion = version,
            Status = RunStatus.Running,
            CreatedAt = now,
            UpdatedAt = now,
            NextCheckAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sequence = 0;
        if (state == RequestState.Decommissioning)
        {
            run.Action = RunAction.Delete;
            var owned = await db.Stacks.AsNoTracking().Where(s => s.RequestId == requestId && !s.Deleted).ToListAsync(ct);
            foreach (var stack in owned.OrderBy(s => KindOrder(s.Kind)).ThenByDescending(s => s.StackName, StringComparer.Ordinal))
            {
                var operation = NewOperation(run, sequence++, stack.StackName, stack.Region, stack.Kind, RunAction.Delete, "", "[]", "[]");
                operation.Account = stack.Account;
                run.Stacks.Add(operation);
            }
        }
        else
        {
            var environment = EnvironmentOf(state)!.Value;
            run.Action = RunAction.Deploy;
            run.Environment = environment;
            var account = request.CurrentRevision.Spec.Account;
            if (accounts is not null && !accounts.Exists(account))
            {
                return $"The AWS account '{account}' the request names is not registered; an admin registers it on the Accounts page, or the request is changed to another account.";
            }

            var rendered = stacks.Render(request, request.CurrentRevision, environment);
            if (!rendered.IsSuccess)
            {
                return "The stacks could not be rendered: " + string.Join("; ", rendered.Errors.Select(e => $"{e.Field}: {e.Message}"));
            }

            // The forms and the API refuse a zone the request may not use; this holds for anything that got past them
            // (a zone taken away since, a row written by hand), before any stack is touched.
            var grants = await Teams.TeamAccess.GrantsAsync(db, ct);
            if (Core.Zones.ZoneRules.Check(request.CurrentRevision.Spec, Core.Zones.ZoneRules.ForTeam(grants, request.TeamId), enforced: grants.Count > 0) is { } zone)
            {
                return zone.Message;
            }

            // Nothing is touched when the account would refuse the deployment half-way (a zone, a record, a quota).
            if (preflight is not null && (await preflight.RunAsync(request, environment, ct)).FailureMessage is { } stopped)
            {
                return stopped;
            }

            var shared = stacks.SharedFor(account);
            if (await NeedsBootstrapAsync(db, shared, ct))
            {
                run.Stacks.Add(FromRendered(run, sequence++, shared));
            }

            // Headers stacks are shared by every request with the same header set: deployed first when the portal has not
            // deployed them yet, like the shared stack.
            foreach (var headers in rendered.HeadersStacks)
            {
                if (await NeedsBootstrapAsync(db, headers, ct))
                {
                    run.Stacks.Add(FromRendered(run, sequence++, headers));
                }
            }

            foreach (var stack in rendered.Stacks)
            {
                run.Stacks.Add(FromRendered(run, sequence++, stack));
            }

            if (state == RequestState.ProductionDeploying)
            {
                await UseApprovedPlanAsync(db, run, request, ct);
            }

            foreach (var operation in run.Stacks)
            {
                operation.Account = Core.Accounts.TargetAccount.IsDefault(account) ? null : account;
            }

            // Production gets exactly the content version that was current in testing when the approver promoted;
            // with none uploaded, production's content is left as it is.
            if (environment == DeploymentEnvironment.Production && request.CurrentRevision.Spec is SiteSpec site
                && site.Environments.Contains(DeploymentEnvironment.Testing) && request.ApprovedContentVersionId is { } content)
            {
                run.ContentBucket = stacks.ContentBucket;
                run.SourcePrefix = ContentPrefixes.Testing(site.Host);
                run.TargetPrefix = ContentPrefixes.Production(site.Host);
                run.ContentVersionId = content;
                run.ContentVersionNumber = request.ApprovedContentVersionNumber;
            }
            else if (environment == DeploymentEnvironment.Testing && request.CurrentRevision.Spec is SiteSpec testingSite
                && await TestingContentToMoveAsync(db, requestId, ct) is { } latest)
            {
                // The testing stack gets a bucket of its own (a stack made before each environment had one): its latest
                // content follows it there, so testing serves what it served before.
                run.ContentBucket = stacks.ContentBucket;
                run.SourcePrefix = ContentPrefixes.Testing(testingSite.Host);
                run.TargetPrefix = run.SourcePrefix;
                run.ContentVersionId = latest.Id;
                run.ContentVersionNumber = latest.Number;
            }
        }

        db.DeploymentRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Another pass created this request's run first.
            return null;
        }

        LogRunStarted(_logger, requestId, run.Action, run.Environment, run.Stacks.Count);
        Publish(requestId, null, "started");
        return null;
    }

    /// <summary>
    /// Production executes exactly the change sets the approver reviewed: each of the request's stacks starts at
    /// "execute" with its planned change set (or is done when the plan found no changes). The plan is used once; a
    /// retried deployment after a failure creates fresh change sets, as before plans existed. Shared stacks (the
    /// account's shared stack, headers stacks) are not part of a request's plan and are deployed as always.
    /// </summary>
    private async Task UseApprovedPlanAsync(PortalDbContext db, DeploymentRun run, PortalRequest request, CancellationToken ct)
    {
        var plan = await db.ProductionPlans.Where(p => p.RequestId == request.Id && p.Status == PlanStatus.Approved && p.Revision == request.CurrentRevisionNumber)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
        if (plan is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var planned = plan.Stacks;
        foreach (var op in run.Stacks.Where(o => o.Kind is not (StackKind.Shared or StackKind.Headers)))
        {
            var stack = planned.FirstOrDefault(p => p.StackName == op.StackName && p.Region == op.Region);
            switch (stack?.Status)
            {
                case PlannedStackStatus.Ready:
                    op.Attempt = 1;
                    op.ClientRequestToken = $"portal-{op.Id:N}-{op.Attempt}";
                    op.ChangeSetName = stack.ChangeSetName;
                    op.ChangeSetType = stack.ChangeSetType;
                    op.ChangeSetId = stack.ChangeSetId;
                    op.StackId = stack.StackId;
                    op.ChangeCount = stack.Changes.Count;
                    op.Step = StackStep.Executing;
                    break;
                case PlannedStackStatus.NoChanges:
                    op.ChangeCount = 0;
                    op.StackId = stack.StackId;
                    op.Step = StackStep.NoChanges;
                    op.FinishedAt = now;
                    break;
            }
        }

        plan.Status = PlanStatus.Executed;
        plan.RunId = run.Id;
        plan.Version++;
    }

    /// <summary>The shared stack is deployed with a run when the portal has not yet deployed this exact template, and no other run is deploying it.</summary>
    private static async Task<bool> NeedsBootstrapAsync(PortalDbContext db, RenderedStack shared, CancellationToken ct)
    {
        var tracked = await db.Stacks.AsNoTracking().SingleOrDefaultAsync(s => s.Region == shared.Region && s.StackName == shared.StackName, ct);
        if (tracked is { Deleted: false } && tracked.TemplateSha256 == Sha256(shared.TemplateBody) && Aws.CloudFormation.StackStatus.IsSuccess(tracked.Status))
        {
            return false;
        }

        var inFlight = await db.StackOperations.AsNoTracking()
            .Where(o => o.StackName == shared.StackName && o.Region == shared.Region)
            .Where(o => o.Step != StackStep.Succeeded && o.Step != StackStep.NoChanges && o.Step != StackStep.Failed)
            .AnyAsync(ct);
        return !inFlight;
    }

    // ---------------------------------------------------------------- runs

    private async Task AdvanceRunsAsync(CancellationToken ct)
    {
        List<Guid> active;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            active = await db.DeploymentRuns.AsNoTracking()
                .Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.CopyingContent)
                .OrderBy(r => r.CreatedAt).Select(r => r.Id).ToListAsync(ct);
        }

        foreach (var id in active)
        {
            try
            {
                await AdvanceRunAsync(id, ct);
            }
            catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException)
            {
                // AWS could not be reached or kept failing even after retries: the run waits and tries again, nothing is lost.
                LogUnreachable(_logger, id, ex.Message);
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await db.StackOperations.Where(o => o.RunId == id && o.NextCheckAt <= clock.GetUtcNow())
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.NextCheckAt, clock.GetUtcNow() + options.Value.ActivePollMax), ct);
            }
        }
    }

    private async Task AdvanceRunAsync(Guid runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.DeploymentRuns.Include(r => r.Stacks).SingleAsync(r => r.Id == runId, ct);
        var now = clock.GetUtcNow();
        if (run.Status == RunStatus.CopyingContent)
        {
            await CopyContentOrFailAsync(db, run, ct);
            return;
        }

        var next = run.Stacks.OrderBy(s => s.Sequence).FirstOrDefault(s => !s.IsDone);
        if (next is not null)
        {
            if (next.NextCheckAt > now || await WaitsForSharedStackAsync(db, run, next, ct))
            {
                return;
            }

            var before = next.Step;
            using (InAccount(next.Account))
            {
                await deployer.AdvanceAsync(db, next, ct);
            }

            if (next.Step != before)
            {
                Publish(run.RequestId, next.StackName, next.Step.ToString());
            }

            if (next.Step is StackStep.Succeeded && next.Kind is StackKind.Shared or StackKind.Headers && next.Action == RunAction.Deploy)
            {
                await RememberTemplateAsync(db, next, ct);
            }

            if (next.Step is StackStep.Succeeded or StackStep.NoChanges && next.Action == RunAction.Deploy && next.TemplateRelease is not null)
            {
                await RememberReleaseAsync(db, next, ct);
            }

            if (next.Step == StackStep.Failed && next.Kind == StackKind.Headers && next.Action == RunAction.Delete)
            {
                // A headers stack some stack still imports: CloudFormation keeps it, which is what should happen.
                LogHeadersKept(_logger, next.StackName, next.FailureMessage);
            }
            else if (next.Step == StackStep.Failed)
            {
                await FinishAsync(db, run, RunStatus.Failed, next.FailureMessage, ct);
                return;
            }

            if (run.Stacks.Any(s => !s.IsDone))
            {
                return;
            }
        }

        if (run.Action == RunAction.Delete && !run.Stacks.Any(s => s.Kind == StackKind.Headers) && await AddUnusedHeadersAsync(db, run, ct))
        {
            return;
        }

        if (run.SourcePrefix is not null)
        {
            run.Status = RunStatus.CopyingContent;
            run.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            await CopyContentOrFailAsync(db, run, ct);
            return;
        }

        await FinishAsync(db, run, RunStatus.Succeeded, null, ct);
        Publish(run.RequestId, null, "stacks done");
    }

    /// <summary>The latest content version when it is not in the testing stack's own bucket (the stack has none yet, or another one).</summary>
    private static async Task<ContentVersion?> TestingContentToMoveAsync(PortalDbContext db, Guid requestId, CancellationToken ct)
    {
        var latest = await db.ContentVersions.AsNoTracking().Where(v => v.RequestId == requestId).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        if (latest is null)
        {
            return null;
        }

        var outputsJson = await db.Stacks.AsNoTracking()
            .Where(s => s.RequestId == requestId && s.Kind == StackKind.Site && s.Environment == DeploymentEnvironment.Testing && !s.Deleted)
            .Select(s => s.OutputsJson).FirstOrDefaultAsync(ct);
        var outputs = JsonSerializer.Deserialize<Dictionary<string, string>>(outputsJson ?? "{}") ?? [];
        return outputs.TryGetValue("ContentBucketName", out var bucket) && bucket == latest.Bucket ? null : latest;
    }

    /// <summary>A request's stacks need the shared stack (buckets, function) and headers stacks: they wait while another run is deploying one.</summary>
    private static async Task<bool> WaitsForSharedStackAsync(PortalDbContext db, DeploymentRun run, StackOperation next, CancellationToken ct)
    {
        if (next.Kind is StackKind.Shared or StackKind.Headers || next.Action == RunAction.Delete)
        {
            return false;
        }

        return await db.StackOperations.AsNoTracking()
            .Where(o => o.RunId != run.Id && (o.Kind == StackKind.Shared || (o.Kind == StackKind.Headers && o.Action == RunAction.Deploy)))
            .Where(o => o.Step != StackStep.Succeeded && o.Step != StackStep.NoChanges && o.Step != StackStep.Failed)
            .AnyAsync(ct);
    }

    /// <summary>
    /// After a decommission, deletes the headers stacks no live stack uses any more (by the HeadersStackName each one was
    /// last deployed with) and none is about to use. CloudFormation refuses to delete a stack whose export another stack
    /// imports, so a headers stack still in use is never removed even if this count were wrong.
    /// </summary>
    private async Task<bool> AddUnusedHeadersAsync(PortalDbContext db, DeploymentRun run, CancellationToken ct)
    {
        var live = await db.Stacks.AsNoTracking().Where(s => !s.Deleted).Select(s => new { s.StackName, s.Region, s.Kind, s.Account }).ToListAsync(ct);
        var headers = live.Where(s => s.Kind == StackKind.Headers).ToList();
        if (headers.Count == 0)
        {
            return false;
        }

        var users = live.Where(s => s.Kind != StackKind.Headers).Select(s => s.StackName).ToHashSet(StringComparer.Ordinal);
        var deployments = await db.StackOperations.AsNoTracking()
            .Where(o => o.Action == RunAction.Deploy && o.Kind != StackKind.Headers && o.Kind != StackKind.Shared)
            .Select(o => new { o.StackName, o.StartedAt, o.Step, o.ParametersJson }).ToListAsync(ct);
        var inUse = deployments
            .Where(o => users.Contains(o.StackName) || (o.Step != StackStep.Succeeded && o.Step != StackStep.NoChanges && o.Step != StackStep.Failed))
            .GroupBy(o => o.StackName, StringComparer.Ordinal)
            .SelectMany(g => g.Where(o => o.Step is not (StackStep.Succeeded or StackStep.NoChanges or StackStep.Failed)).Append(g.OrderByDescending(o => o.StartedAt).First()))
            .Select(o => HeadersStackOf(o.ParametersJson))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var sequence = run.Stacks.Count == 0 ? 0 : run.Stacks.Max(s => s.Sequence) + 1;
        var added = false;
        foreach (var unused in headers.Where(h => !inUse.Contains(h.StackName)).OrderBy(h => h.StackName, StringComparer.Ordinal))
        {
            var operation = NewOperation(run, sequence++, unused.StackName, unused.Region, StackKind.Headers, RunAction.Delete, "", "[]", "[]");
            operation.Account = unused.Account;
            run.Stacks.Add(operation);
            added = true;
        }

        if (added)
        {
            run.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }

        return added;
    }

    private static string? HeadersStackOf(string parametersJson) =>
        JsonSerializer.Deserialize<List<Aws.CloudFormation.Parameter>>(parametersJson)?
            .FirstOrDefault(p => p.ParameterKey == "HeadersStackName")?.ParameterValue;

    private static async Task RememberTemplateAsync(PortalDbContext db, StackOperation op, CancellationToken ct)
    {
        var tracked = await db.Stacks.SingleOrDefaultAsync(s => s.Region == op.Region && s.StackName == op.StackName, ct);
        if (tracked is not null)
        {
            tracked.TemplateSha256 = Sha256(op.TemplateBody);
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>The stack now runs what this release renders: it is no longer listed as behind.</summary>
    private static async Task RememberReleaseAsync(PortalDbContext db, StackOperation op, CancellationToken ct)
    {
        var tracked = await db.Stacks.SingleOrDefaultAsync(s => s.Region == op.Region && s.StackName == op.StackName, ct);
        if (tracked is not null && tracked.TemplateRelease != op.TemplateRelease)
        {
            tracked.TemplateRelease = op.TemplateRelease;
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Copies content to its environment; a refusal from AWS (a missing bucket or distribution, no permission) fails the run with its reason instead of retrying for ever.</summary>
    private async Task CopyContentOrFailAsync(PortalDbContext db, DeploymentRun run, CancellationToken ct)
    {
        try
        {
            // The content lives in the buckets of the request's account, where its stacks are.
            using var scope = InAccount(run.Stacks.Select(s => s.Account).FirstOrDefault(a => a is not null));
            await CopyContentAsync(db, run, ct);
        }
        catch (AmazonServiceException ex) when (!StackDeployer.IsTransient(ex))
        {
            var environment = run.Environment == DeploymentEnvironment.Testing ? "Testing" : "Production";
            await FinishAsync(db, run, RunStatus.Failed,
                $"{environment}'s content could not be copied: AWS refused with {ex.ErrorCode} ({ex.Message}). " +
                $"Check that the content buckets and the {environment.ToLowerInvariant()} distribution exist and that the portal may use them, then retry the deployment.", ct);
            Publish(run.RequestId, null, "failed");
        }
    }

    /// <summary>
    /// Copies a content version by its S3 version ids into the environment's bucket (the approved version into production;
    /// in testing, the latest version into a bucket the stack has just made), removes what else sits there, then
    /// invalidates the environment's distribution once (its caller reference is the run). Repeating a step after a
    /// restart gives the same result.
    /// </summary>
    private async Task CopyContentAsync(PortalDbContext db, DeploymentRun run, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (run.NextCheckAt > now)
        {
            return;
        }

        var siteOp = run.Stacks.Where(s => s.Kind == StackKind.Site).OrderBy(s => s.Sequence).FirstOrDefault();
        var tracked = siteOp is null ? null : await db.Stacks.AsNoTracking().SingleOrDefaultAsync(s => s.Region == siteOp.Region && s.StackName == siteOp.StackName, ct);
        var outputs = JsonSerializer.Deserialize<Dictionary<string, string>>(tracked?.OutputsJson ?? "{}") ?? [];
        if (run.ObjectsCopied is null)
        {
            var version = run.ContentVersionId is { } id ? await db.ContentVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct) : null;
            if (version is null)
            {
                await FinishAsync(db, run, RunStatus.Failed, "The content version to copy is not recorded, so the site's content could not be copied. Retry the deployment.", ct);
                return;
            }

            if (!outputs.TryGetValue("ContentBucketName", out var targetBucket) || string.IsNullOrEmpty(targetBucket))
            {
                await FinishAsync(db, run, RunStatus.Failed, "The site stack has no ContentBucketName output, so its content could not be copied.", ct);
                return;
            }

            var source = new ContentLocation(version.Bucket ?? run.ContentBucket!, run.SourcePrefix!);
            var target = new ContentLocation(targetBucket, run.TargetPrefix!);
            if (source == target)
            {
                // Testing already holds this version where it is served: nothing to copy or invalidate.
                await FinishAsync(db, run, RunStatus.Succeeded, null, ct);
                Publish(run.RequestId, null, "content in place");
                return;
            }

            var copy = await contentStore.CopyContentAsync(source, target, version.Files, ct);
            if (copy.Missing.Count > 0 && run.Environment != DeploymentEnvironment.Testing)
            {
                await FinishAsync(db, run, RunStatus.Failed,
                    $"Content version {version.Number} could not be copied to production: {copy.Missing.Count} of its {version.FileCount} files are no longer in the content bucket " +
                    $"({string.Join(", ", copy.Missing.Take(5))}{(copy.Missing.Count > 5 ? ", ..." : "")}). Replaced files are kept only for the site's retained number of content versions; upload the content again and ask for approval again.",
                    ct);
                return;
            }

            run.ObjectsListed = version.FileCount;
            run.ObjectsCopied = copy.Copied;
            run.BytesCopied = copy.BytesCopied;
            run.ObjectsRemoved = copy.Removed;
            run.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            // Testing is never held up by files that expired: the stack is deployed, and uploading again replaces them.
            Publish(run.RequestId, null, copy.Missing.Count > 0
                ? $"content version {version.Number}: copied {copy.Copied} objects; {copy.Missing.Count} had expired, upload the content again"
                : $"content version {version.Number}: copied {copy.Copied} objects, removed {copy.Removed}");
        }

        if (run.InvalidationId is null)
        {
            if (!outputs.TryGetValue("DistributionId", out var distribution))
            {
                await FinishAsync(db, run, RunStatus.Failed, "The site stack has no DistributionId output, so its cache could not be invalidated.", ct);
                return;
            }

            var created = await cloudFront.CreateInvalidationAsync(new CreateInvalidationRequest(distribution, new InvalidationBatch(options.Value.InvalidationPaths, $"portal-{run.Id:N}")), ct);
            run.DistributionId = distribution;
            run.InvalidationId = created.Invalidation.Id;
            run.InvalidationStatus = created.Invalidation.Status;
            run.NextCheckAt = clock.GetUtcNow() + options.Value.ActivePollMax;
            run.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            Publish(run.RequestId, null, "invalidation " + created.Invalidation.Id);
            return;
        }

        var current = await cloudFront.GetInvalidationAsync(new GetInvalidationRequest(run.DistributionId!, run.InvalidationId), ct);
        run.InvalidationStatus = current.Invalidation.Status;
        run.UpdatedAt = clock.GetUtcNow();
        if (current.Invalidation.Status == "Completed")
        {
            await FinishAsync(db, run, RunStatus.Succeeded, null, ct);
            Publish(run.RequestId, null, "content copied");
            return;
        }

        run.NextCheckAt = clock.GetUtcNow() + options.Value.ActivePollMax;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Records the run's end; it is counted only once saved, so a pass that fails to save and repeats counts it once.</summary>
    private async Task FinishAsync(PortalDbContext db, DeploymentRun run, RunStatus status, string? failure, CancellationToken ct)
    {
        run.Status = status;
        run.FailureMessage = StackEventStore.Cut(failure, 4000);
        run.FinishedAt = clock.GetUtcNow();
        run.UpdatedAt = run.FinishedAt.Value;
        await db.SaveChangesAsync(ct);
        metrics?.Deployment(EnvironmentTag(run.Environment), Outcome(status));
        if (status == RunStatus.Failed)
        {
            LogRunFailed(_logger, run.RequestId, failure ?? "");
        }
    }

    /// <summary>The <c>environment</c> tag of <c>portal.deployments</c>: testing, production, or all for a decommission (it deletes every environment's stacks).</summary>
    public static string EnvironmentTag(DeploymentEnvironment? environment) => environment switch
    {
        DeploymentEnvironment.Testing => "testing",
        DeploymentEnvironment.Production => "production",
        null => "all",
        _ => environment.Value.ToString().ToLowerInvariant(),
    };

    private static DeploymentEnvironment? EnvironmentOf(RequestState state) => state switch
    {
        RequestState.TestingDeploying => DeploymentEnvironment.Testing,
        RequestState.Decommissioning => null,
        _ => DeploymentEnvironment.Production,
    };

    private static string Outcome(RunStatus status) => status == RunStatus.Succeeded ? "succeeded" : "failed";

    private StackOperation FromRendered(DeploymentRun run, int sequence, RenderedStack stack)
    {
        var operation = NewOperation(
            run, sequence, stack.StackName, stack.Region, stack.Kind, RunAction.Deploy, stack.TemplateBody, ParametersJson(stack), TagsJson(stack));
        operation.TemplateRelease = stacks.TemplateRelease;
        return operation;
    }

    /// <summary>A rendered stack's parameters as <c>aws cloudformation</c> reads them (and as operations store them).</summary>
    internal static string ParametersJson(RenderedStack stack) =>
        JsonSerializer.Serialize(stack.Parameters.Select(p => new Aws.CloudFormation.Parameter(p.ParameterKey, p.ParameterValue)));

    internal static string TagsJson(RenderedStack stack) => JsonSerializer.Serialize(stack.Tags.Select(t => new Aws.CloudFormation.Tag(t.Key, t.Value)));

    private StackOperation NewOperation(DeploymentRun run, int sequence, string name, string region, StackKind kind, RunAction action, string template, string parameters, string tags)
    {
        var now = clock.GetUtcNow();
        return new StackOperation
        {
            Id = Guid.CreateVersion7(now),
            RunId = run.Id,
            Sequence = sequence,
            StackName = name,
            Region = region,
            Kind = kind,
            Action = action,
            TemplateBody = template,
            ParametersJson = parameters,
            TagsJson = tags,
            Step = StackStep.Pending,
            NextCheckAt = now,
            StartedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>Deletion order: what depends on other stacks goes first.</summary>
    private static int KindOrder(StackKind kind) => kind switch
    {
        StackKind.Redirect => 0,
        StackKind.Site => 1,
        StackKind.MtaSts => 2,
        StackKind.Headers => 3,
        _ => 4,
    };

    internal static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private void Publish(Guid? requestId, string? stack, string what) => feed.Publish(new DeploymentChange(requestId, stack, what));

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment of request {RequestId} started: {Action} {Environment}, {Stacks} stacks")]
    private static partial void LogRunStarted(ILogger logger, Guid requestId, RunAction action, DeploymentEnvironment? environment, int stacks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment of request {RequestId} failed: {Reason}")]
    private static partial void LogRunFailed(ILogger logger, Guid requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Headers stack {Stack} kept: {Reason}")]
    private static partial void LogHeadersKept(ILogger logger, string stack, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AWS unreachable while advancing run {RunId}: {Problem}; retrying later")]
    private static partial void LogUnreachable(ILogger logger, Guid runId, string problem);
}
