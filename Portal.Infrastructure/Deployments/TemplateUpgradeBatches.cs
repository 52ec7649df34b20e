using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Upgrades;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;

namespace Portal.Infrastructure.Deployments;

/// <summary>A request with stacks behind the current template release, and whether an upgrade can be started for it.</summary>
public sealed record BehindRequest(
    Guid RequestId, string Name, RequestKind Kind, RequestState State, string OwnerName, int RevisionNumber,
    IReadOnlyList<StackRelease> Stacks, string? NotUpgradable)
{
    public bool Upgradable => NotUpgradable is null;
}

/// <summary>The current template release and every request with a stack behind it.</summary>
public sealed record ReleaseStatus(string CurrentRelease, IReadOnlyList<BehindRequest> Behind)
{
    public int StacksBehind => Behind.Sum(r => r.Stacks.Count);
}

/// <summary>What an admin chose: a request, at the revision they saw (a request edited since is skipped, not upgraded blind).</summary>
public sealed record UpgradeSelection(Guid RequestId, int RevisionNumber);

/// <summary>One request of a batch and how far its upgrade is.</summary>
public sealed record UpgradeItemView(Guid RequestId, string Name, int? RevisionNumber, UpgradeStep Step, string? Note)
{
    public string StepLabel => TemplateUpgradeRules.Label(Step);
}

/// <summary>A batch with each request's progress.</summary>
public sealed record UpgradeBatchView(Guid Id, string Release, DateTimeOffset StartedAt, string StartedByName, IReadOnlyList<UpgradeItemView> Items)
{
    public int Started => Items.Count(i => i.RevisionNumber is not null);

    public int Skipped => Items.Count(i => i.Step == UpgradeStep.Skipped);

    public int Live => Items.Count(i => i.Step == UpgradeStep.Live);

    public bool Finished => Items.All(i => TemplateUpgradeRules.IsFinished(i.Step));

    public int Count(UpgradeStep step) => Items.Count(i => i.Step == step);
}

/// <summary>A batch in the list of recent ones.</summary>
public sealed record UpgradeBatchSummary(Guid Id, string Release, DateTimeOffset StartedAt, string StartedByName, int Requests, int Started);

/// <summary>The outcome of starting a batch: the batch, or why nothing was started.</summary>
public sealed record StartUpgradeResult(UpgradeBatchView? Batch, RefusalCode? Code, string? Message)
{
    public bool Succeeded => Batch is not null;
}

/// <summary>
/// Fleet-wide template upgrades, started by an admin: lists the requests whose stacks are behind the current template
/// release, starts an upgrade revision for the chosen ones (each then goes through testing and approval like any
/// revision; production changes only when an approver promotes it), asks for approval once an upgrade is ready in
/// testing, and reads each batch's progress from its requests.
/// </summary>
public sealed partial class TemplateUpgradeBatches(
    IDbContextFactory<PortalDbContext> dbFactory,
    RequestService requests,
    IDeploymentStackSource stacks,
    TimeProvider clock,
    ILogger<TemplateUpgradeBatches>? logger = null)
{
    /// <summary>A batch names at most this many requests: the page and the API send the chosen ones in one body.</summary>
    public const int MaxRequestsPerBatch = 5000;

    private static readonly RequestState[] GoneStates = [RequestState.Withdrawn, RequestState.Decommissioned];
    private readonly ILogger _logger = logger ?? NullLogger<TemplateUpgradeBatches>.Instance;

    public string CurrentRelease => stacks.TemplateRelease;

    /// <summary>Every request with a stack deployed from another release than the current one.</summary>
    public async Task<ReleaseStatus> BehindAsync(CancellationToken ct = default)
    {
        var current = stacks.TemplateRelease;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // The shared and headers stacks are the portal's own and follow each new release on the next deployment by themselves.
        var behind = await db.Stacks.AsNoTracking()
            .Where(s => s.RequestId != null && !s.Deleted && s.Kind != StackKind.Shared && s.Kind != StackKind.Headers)
            .Where(s => s.TemplateRelease == null || s.TemplateRelease != current)
            .Select(s => new { RequestId = s.RequestId!.Value, s.StackName, s.Environment, s.TemplateRelease })
            .ToListAsync(ct);
        var ids = behind.Select(s => s.RequestId).Distinct().ToList();
        var found = new List<BehindRequest>();
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await db.Requests.AsNoTracking().Where(r => chunk.Contains(r.Id) && !GoneStates.Contains(r.State))
                .Select(r => new { r.Id, r.PrimaryName, r.Kind, r.State, r.OwnerName, r.CurrentRevisionNumber })
                .ToListAsync(ct);
            foreach (var r in rows)
            {
                var own = behind.Where(s => s.RequestId == r.Id).Select(s => new StackRelease(s.StackName, s.Environment, s.TemplateRelease))
                    .OrderBy(s => s.StackName, StringComparer.Ordinal).ToList();
                found.Add(new(r.Id, r.PrimaryName, r.Kind, r.State, r.OwnerName, r.CurrentRevisionNumber, own,
                    TemplateUpgradeRules.WhyNotUpgradable(r.State, own, current)));
            }
        }

        return new(current, [.. found.OrderBy(r => r.Name, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Starts an upgrade revision for each chosen request that is still behind and unchanged since it was chosen; the
    /// others are recorded as skipped with the reason. Refused (nothing stored) for anyone but an admin or an empty choice.
    /// </summary>
    public async Task<StartUpgradeResult> StartAsync(IReadOnlyCollection<UpgradeSelection> selection, Actor admin, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(admin);
        if (!admin.IsIn(PortalRole.Admin) || admin.IsServiceAccount)
        {
            return new(null, RefusalCode.RoleRequired, "Only an admin may start a template upgrade.");
        }

        var chosen = selection.DistinctBy(s => s.RequestId).ToList();
        if (chosen.Count == 0)
        {
            return new(null, RefusalCode.Invalid, "Choose at least one request to upgrade.");
        }

        if (chosen.Count > MaxRequestsPerBatch)
        {
            return new(null, RefusalCode.Invalid, $"A batch upgrades at most {MaxRequestsPerBatch} requests; choose fewer and start another batch for the rest.");
        }

        var release = stacks.TemplateRelease;
        var now = clock.GetUtcNow();
        var batch = new TemplateUpgradeBatch
        {
            Id = Guid.CreateVersion7(now),
            Release = release,
            StartedAt = now,
            StartedById = admin.Id,
            StartedByName = admin.DisplayName,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.TemplateUpgradeBatches.Add(batch);
            await db.SaveChangesAsync(ct);
        }

        LogBatchStarted(_logger, batch.Id, admin.Id, release, chosen.Count);
        foreach (var choice in chosen)
        {
            var item = await StartOneAsync(batch, choice, admin, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            db.TemplateUpgradeItems.Add(item);
            await db.SaveChangesAsync(ct);
        }

        return new(await GetAsync(batch.Id, ct), null, null);
    }

    private async Task<TemplateUpgradeItem> StartOneAsync(TemplateUpgradeBatch batch, UpgradeSelection choice, Actor admin, CancellationToken ct)
    {
        var item = new TemplateUpgradeItem { Id = Guid.CreateVersion7(batch.StartedAt), BatchId = batch.Id, RequestId = choice.RequestId };
        var request = await requests.GetAsync(choice.RequestId, ct);
        if (request is null)
        {
            item.SkipReason = "There is no such request.";
            return item;
        }

        item.PrimaryName = request.PrimaryName;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // Starting twice (two admins, a second click, a batch started again) never makes a second revision for the same upgrade.
        var earlier = await db.TemplateUpgradeItems.AsNoTracking()
            .Where(i => i.RequestId == request.Id && i.RevisionNumber != null && i.RevisionNumber > choice.RevisionNumber)
            .Join(db.TemplateUpgradeBatches.AsNoTracking(), i => i.BatchId, b => b.Id, (i, b) => new { i.RevisionNumber, b.StartedByName, b.StartedAt, b.Release })
            .OrderByDescending(x => x.RevisionNumber)
            .FirstOrDefaultAsync(ct);
        if (earlier is not null)
        {
            item.SkipReason = $"Already upgraded to {earlier.Release} as revision {earlier.RevisionNumber}, in the batch {earlier.StartedByName} started at {earlier.StartedAt:yyyy-MM-dd HH:mm} UTC.";
            return item;
        }

        if (request.CurrentRevisionNumber != choice.RevisionNumber)
        {
            var editor = request.CurrentRevision;
            item.SkipReason = $"Changed since it was chosen: revision {editor.Number} by {editor.CreatedByName}. Check it and choose it again if it is still behind.";
            return item;
        }

        var own = await db.Stacks.AsNoTracking()
            .Where(s => s.RequestId == request.Id && !s.Deleted && s.Kind != StackKind.Shared && s.Kind != StackKind.Headers)
            .Select(s => new StackRelease(s.StackName, s.Environment, s.TemplateRelease))
            .ToListAsync(ct);
        if (TemplateUpgradeRules.WhyNotUpgradable(request.State, own, batch.Release) is { } why)
        {
            item.SkipReason = why;
            return item;
        }

        var behind = own.Where(s => TemplateUpgradeRules.IsBehind(s, batch.Release)).Select(s => $"{s.StackName} ({s.Release ?? "release not recorded"})");
        var reason = $"Template upgrade to release {batch.Release}, started by {admin.DisplayName}: {string.Join(", ", behind)}.";
        var result = await requests.UpgradeTemplatesAsync(request.Id, reason, request.Version, admin, ct);
        if (!result.Succeeded)
        {
            item.SkipReason = result.Code == RefusalCode.Conflict
                ? "Changed while the upgrade was starting; choose it again if it is still behind."
                : result.Message;
            return item;
        }

        item.RevisionNumber = request.CurrentRevisionNumber + 1;
        LogUpgradeStarted(_logger, request.Id, item.RevisionNumber.Value, batch.Id);
        return item;
    }

    /// <summary>
    /// Asks for approval of every upgrade revision now ready in testing, on behalf of the admin who started its batch: an
    /// upgrade waits for an approver like any revision, and is never promoted by the portal itself.
    /// </summary>
    public async Task<int> RequestApprovalsAsync(CancellationToken ct = default)
    {
        List<(Guid ItemId, Guid RequestId, int Version, string ById, string ByName)> ready;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            ready = (await db.TemplateUpgradeItems.AsNoTracking()
                .Where(i => !i.ApprovalRequested && i.RevisionNumber != null)
                .Join(db.Requests.AsNoTracking(), i => i.RequestId, r => r.Id, (i, r) => new { Item = i, r.State, r.CurrentRevisionNumber, r.Version })
                .Where(x => x.State == RequestState.TestingReady && x.CurrentRevisionNumber == x.Item.RevisionNumber)
                .Join(db.TemplateUpgradeBatches.AsNoTracking(), x => x.Item.BatchId, b => b.Id, (x, b) => new { x.Item.Id, x.Item.RequestId, x.Version, b.StartedById, b.StartedByName })
                .ToListAsync(ct))
                .Select(x => (x.Id, x.RequestId, x.Version, x.StartedById, x.StartedByName)).ToList();
        }

        var asked = 0;
        foreach (var (itemId, requestId, version, byId, byName) in ready)
        {
            var admin = Actor.Person(byId, byName, null, PortalRole.Admin);
            var result = await requests.ApplyAsync(requestId, WorkflowAction.RequestApproval, admin, null, version, ct);
            if (result.Succeeded)
            {
                asked++;
            }
            else if (result.Code == RefusalCode.Conflict)
            {
                // Changed meanwhile: the next pass looks again.
                continue;
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.TemplateUpgradeItems.Where(i => i.Id == itemId).ExecuteUpdateAsync(u => u.SetProperty(i => i.ApprovalRequested, true), ct);
        }

        return asked;
    }

    /// <summary>A batch with each request's progress; null when there is no such batch.</summary>
    public async Task<UpgradeBatchView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = await db.TemplateUpgradeBatches.AsNoTracking().Include(b => b.Items).SingleOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null)
        {
            return null;
        }

        var ids = batch.Items.Select(i => i.RequestId).ToList();
        var facts = new Dictionary<Guid, (RequestState State, int Current, int? Live, string? Failure)>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var r in await db.Requests.AsNoTracking().Where(r => chunk.Contains(r.Id))
                .Select(r => new { r.Id, r.State, r.CurrentRevisionNumber, r.LiveRevisionNumber, r.FailureMessage }).ToListAsync(ct))
            {
                facts[r.Id] = (r.State, r.CurrentRevisionNumber, r.LiveRevisionNumber, r.FailureMessage);
            }
        }

        var superseding = await SupersedingEditorsAsync(db, batch.Items, facts, ct);
        var items = batch.Items.OrderBy(i => i.PrimaryName, StringComparer.Ordinal).Select(i =>
        {
            if (!facts.TryGetValue(i.RequestId, out var f))
            {
                return new UpgradeItemView(i.RequestId, i.PrimaryName, i.RevisionNumber, i.RevisionNumber is null ? UpgradeStep.Skipped : UpgradeStep.Removed, i.SkipReason);
            }

            var step = TemplateUpgradeRules.Progress(i.RevisionNumber, f.State, f.Current, f.Live);
            var note = step switch
            {
                UpgradeStep.Skipped => i.SkipReason,
                UpgradeStep.Superseded => superseding.GetValueOrDefault(i.RequestId),
                UpgradeStep.TestingFailed or UpgradeStep.Failed => f.Failure,
                _ => null,
            };
            return new UpgradeItemView(i.RequestId, i.PrimaryName, i.RevisionNumber, step, note);
        }).ToList();
        return new(batch.Id, batch.Release, batch.StartedAt, batch.StartedByName, items);
    }

    /// <summary>The batches started most recently first.</summary>
    public async Task<IReadOnlyList<UpgradeBatchSummary>> RecentAsync(int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batches = await db.TemplateUpgradeBatches.AsNoTracking().OrderByDescending(b => b.StartedAt).Take(count)
            .Select(b => new UpgradeBatchSummary(b.Id, b.Release, b.StartedAt, b.StartedByName, b.Items.Count, b.Items.Count(i => i.RevisionNumber != null)))
            .ToListAsync(ct);
        return batches;
    }

    /// <summary>Who made the revision after an upgrade, for the summary's "superseded" note.</summary>
    private static async Task<Dictionary<Guid, string>> SupersedingEditorsAsync(
        PortalDbContext db, IEnumerable<TemplateUpgradeItem> items, Dictionary<Guid, (RequestState State, int Current, int? Live, string? Failure)> facts, CancellationToken ct)
    {
        var notes = new Dictionary<Guid, string>();
        foreach (var item in items.Where(i => i.RevisionNumber is not null && facts.ContainsKey(i.RequestId)))
        {
            var f = facts[item.RequestId];
            if (f.Current == item.RevisionNumber || f.Live >= item.RevisionNumber)
            {
                continue;
            }

            var revision = await db.Revisions.AsNoTracking().Where(r => r.RequestId == item.RequestId && r.Number == f.Current)
                .Select(r => new { r.Number, r.CreatedByName }).FirstOrDefaultAsync(ct);
            notes[item.RequestId] = revision is null || revision.Number < item.RevisionNumber
                ? "The upgrade revision was discarded; the request is back on its live revision."
                : $"Edited by {revision.CreatedByName} as revision {revision.Number}, which deploys the current release instead.";
        }

        return notes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Template upgrade batch {BatchId} started by {AdminId} to release {Release} for {Count} requests")]
    private static partial void LogBatchStarted(ILogger logger, Guid batchId, string adminId, string release, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} gets upgrade revision {Revision} in batch {BatchId}")]
    private static partial void LogUpgradeStarted(ILogger logger, Guid requestId, int revision, Guid batchId);
}
