using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Approvals;
using Portal.Core.Observability;
using Portal.Infrastructure.Persistence;
using Portal.Core.Workflow;
using Portal.Core.Requests;

namespace Portal.Infrastructure.Requests;

/// <summary>The outcome of a command on a request: success with its new state, or a refusal worded for the user.</summary>
public sealed record RequestCommandResult(
    bool Succeeded, Guid RequestId, RequestState? State, RefusalCode? Code, string? Message, IReadOnlyList<FieldError> Errors)
{
    public static RequestCommandResult Ok(PortalRequest request) => new(true, request.Id, request.State, null, null, []);

    public static RequestCommandResult Refused(Guid id, RefusalCode code, string message) => new(false, id, null, code, message, []);

    public static RequestCommandResult InvalidSpec(Guid id, IReadOnlyList<FieldError> errors) =>
        new(false, id, null, RefusalCode.Invalid, "The request has errors; see each field.", errors);

    internal static RequestCommandResult From(Guid id, WorkflowDecision decision, PortalRequest request) =>
        decision.Allowed ? Ok(request) : Refused(id, decision.Code!.Value, decision.Reason!);
}

/// <summary>
/// What a request form saves: a new request (<paramref name="ExistingId"/> null), or a change to one the person was
/// looking at in <paramref name="ExpectedVersion"/>. <paramref name="Submit"/> asks for submission too (a new
/// revision of a request past draft is always submitted).
/// </summary>
public sealed record SaveRequestCommand(Guid? ExistingId, int? ExpectedVersion, RequestSpec Spec, bool Submit);

/// <summary>
/// Creates requests and moves them through the workflow, one short unit of work per command, so the UI, the API
/// and background services share one set of rules and a concurrent change is refused rather than lost.
/// </summary>
public sealed class RequestService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IOptions<ApprovalOptions> approval, PortalMetrics? metrics = null,
    Accounts.TargetAccountDirectory? accounts = null)
{
    private TimeSpan MaxAuthAge => approval.Value.MaxAuthAge;

    public async Task<RequestCommandResult> CreateAsync(RequestSpec spec, Actor actor, bool submit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(actor);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        if (!AvailableActions.CanCreate(actor))
        {
            return RequestCommandResult.Refused(id, RefusalCode.RoleRequired, "Creating a request needs the Requester role.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var validation = Validate(spec, await NamesInUseAsync(db, spec, null, ct), draft: !submit);
        if (!validation.IsValid)
        {
            return RequestCommandResult.InvalidSpec(id, validation.Errors);
        }

        var now = clock.GetUtcNow();
        var request = PortalRequest.CreateDraft(id, spec, actor, now);
        if (submit)
        {
            request.Apply(WorkflowAction.Submit, actor, null, now, MaxAuthAge);
        }

        db.Requests.Add(request);
        return await SaveAsync(db, request, ct);
    }

    /// <summary>
    /// Saves a form in one unit of work: creates the request, edits a draft in place (and submits it when asked), or
    /// adds a revision to a request past draft. Either everything is stored or nothing is.
    /// </summary>
    public async Task<RequestCommandResult> SaveAsync(SaveRequestCommand command, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (command.ExistingId is not { } id)
        {
            return await CreateAsync(command.Spec, actor, command.Submit, ct);
        }

        return await ChangeAsync(id, command.ExpectedVersion, command.Spec, draft: !command.Submit, (request, now) =>
        {
            if (request.State != RequestState.Draft)
            {
                return request.Revise(command.Spec, actor, now, MaxAuthAge);
            }

            var edited = request.EditDraft(command.Spec, actor, now);
            return edited.Allowed && command.Submit ? request.Apply(WorkflowAction.Submit, actor, null, now, MaxAuthAge) : edited;
        }, ct);
    }

    public Task<RequestCommandResult> EditDraftAsync(Guid id, RequestSpec spec, Actor actor, int? expectedVersion = null, CancellationToken ct = default) =>
        ChangeAsync(id, expectedVersion, spec, draft: true, (request, now) => request.EditDraft(spec, actor, now), ct);

    public Task<RequestCommandResult> ReviseAsync(Guid id, RequestSpec spec, Actor actor, int? expectedVersion = null, CancellationToken ct = default) =>
        ChangeAsync(id, expectedVersion, spec, draft: false, (request, now) => request.Revise(spec, actor, now, MaxAuthAge), ct);

    /// <summary>A new revision with the same spec, taken by the portal because its templates changed; refused if the request moved on from <paramref name="expectedVersion"/>.</summary>
    public Task<RequestCommandResult> UpgradeTemplatesAsync(Guid id, string reason, int expectedVersion, CancellationToken ct = default) =>
        ChangeAsync(id, expectedVersion, null, draft: false, (request, now) => request.UpgradeTemplates(reason, now), ct);

    /// <summary>
    /// Takes a workflow action. <paramref name="expectedVersion"/> is the version the person was looking at: if the request
    /// changed since, the action is refused so nobody approves something they did not see.
    /// </summary>
    public Task<RequestCommandResult> ApplyAsync(Guid id, WorkflowAction action, Actor actor, string? reason = null, int? expectedVersion = null, CancellationToken ct = default) =>
        action == WorkflowAction.Promote
            ? PromoteAsync(id, actor, reason, expectedVersion, null, ct)
            : ChangeAsync(id, expectedVersion, null, draft: false, (request, now) => request.Apply(action, actor, reason, now, MaxAuthAge), ct,
                validateCurrent: action == WorkflowAction.Submit);

    /// <summary>
    /// Promotes a request. For a site, the content version current in testing at this moment is pinned as the one
    /// production gets. <paramref name="expectedContentVersionId"/> is the version the approver reviewed: if testing
    /// has moved on since, the promotion is refused so nobody approves content they did not see.
    /// </summary>
    public async Task<RequestCommandResult> PromoteAsync(
        Guid id, Actor actor, string? reason = null, int? expectedVersion = null, Guid? expectedContentVersionId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await LoadAsync(db, id, tracking: true, ct);
        if (request is null)
        {
            return RequestCommandResult.Refused(id, RefusalCode.NotFound, "No such request.");
        }

        if (expectedVersion is not null && expectedVersion != request.Version)
        {
            return ConflictResult(request);
        }

        var current = await db.ContentVersions.AsNoTracking().Where(v => v.RequestId == id)
            .OrderByDescending(v => v.Number).Select(v => new { v.Id, v.Number }).FirstOrDefaultAsync(ct);
        if (expectedContentVersionId is not null && current?.Id != expectedContentVersionId)
        {
            return RequestCommandResult.Refused(id, RefusalCode.Conflict, current is null
                ? "The content you reviewed is no longer recorded for this site. Reload the page to see what testing holds, then decide."
                : $"Testing has moved on to content version {current.Number} since you looked. Reload the page to review it, then decide.");
        }

        var recorded = request.AuditEvents.Count;
        var decision = request.Promote(actor, reason, clock.GetUtcNow(), MaxAuthAge, current?.Id, current?.Number);
        if (!decision.Allowed)
        {
            return RequestCommandResult.From(id, decision, request);
        }

        // A content upload recorded meanwhile bumped the request's version, so this save fails rather than pinning a stale version.
        return await SaveTransitionAsync(db, request, recorded, ct);
    }

    public async Task<PortalRequest?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LoadAsync(db, id, tracking: false, ct);
    }

    /// <summary>The buttons a person sees on a request's page right now.</summary>
    public IReadOnlyList<ActionOption> ActionsFor(PortalRequest request, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AvailableActions.For(request.Facts, actor, clock.GetUtcNow(), MaxAuthAge);
    }

    /// <summary>Whether the edit page may change this request: a draft in place, anything else as a new revision.</summary>
    public bool CanEdit(PortalRequest request, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(request);
        var action = request.State == RequestState.Draft ? WorkflowAction.Submit : WorkflowAction.Revise;
        return request.Check(action, actor, null, clock.GetUtcNow(), MaxAuthAge).Allowed;
    }

    /// <summary>The spec's own rules, and that the AWS account it names is the default one or a registered one.</summary>
    private SpecValidationResult Validate(RequestSpec spec, IReadOnlySet<string> namesInUse, bool draft)
    {
        var result = draft ? SpecValidator.ValidateDraft(spec, namesInUse) : SpecValidator.Validate(spec, namesInUse);
        return accounts is null || accounts.Exists(spec.Account)
            ? result
            : result with
            {
                Errors = [.. result.Errors, new FieldError("account", $"No AWS account named '{spec.Account}' is registered; choose one an admin registered, or leave it out for the default account.")],
            };
    }

    private async Task<RequestCommandResult> ChangeAsync(
        Guid id, int? expectedVersion, RequestSpec? spec, bool draft, Func<PortalRequest, DateTimeOffset, WorkflowDecision> change, CancellationToken ct, bool validateCurrent = false)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await LoadAsync(db, id, tracking: true, ct);
        if (request is null)
        {
            return RequestCommandResult.Refused(id, RefusalCode.NotFound, "No such request.");
        }

        if (expectedVersion is not null && expectedVersion != request.Version)
        {
            return ConflictResult(request);
        }

        if (spec is not null)
        {
            var validation = Validate(spec, await NamesInUseAsync(db, spec, id, ct), draft && request.State == RequestState.Draft);
            if (!validation.IsValid)
            {
                return RequestCommandResult.InvalidSpec(id, validation.Errors);
            }
        }
        else if (validateCurrent)
        {
            // A draft may have been saved unfinished: submitting it runs every rule on what it holds.
            var current = request.CurrentRevision.Spec;
            var validation = SpecValidator.Validate(current, await NamesInUseAsync(db, current, id, ct));
            if (!validation.IsValid)
            {
                return RequestCommandResult.InvalidSpec(id, validation.Errors);
            }
        }

        var recorded = request.AuditEvents.Count;
        var decision = change(request, clock.GetUtcNow());
        if (!decision.Allowed)
        {
            return RequestCommandResult.From(id, decision, request);
        }

        return await SaveTransitionAsync(db, request, recorded, ct);
    }

    /// <summary>Saves a request that took workflow actions and counts each transition once it is stored.</summary>
    private async Task<RequestCommandResult> SaveTransitionAsync(PortalDbContext db, PortalRequest request, int recordedBefore, CancellationToken ct)
    {
        var saved = await SaveAsync(db, request, ct);
        if (saved.Succeeded)
        {
            foreach (var recorded in request.AuditEvents.Skip(recordedBefore))
            {
                metrics?.Transition(recorded.Action, recorded.ToState.ToString());
            }
        }

        return saved;
    }

    private static async Task<RequestCommandResult> SaveAsync(PortalDbContext db, PortalRequest request, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return RequestCommandResult.Ok(request);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ConflictResult(request);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            if (db.Entry(request).State == EntityState.Added)
            {
                // The unique index on active names caught a request created at the same moment for the same name.
                return RequestCommandResult.InvalidSpec(request.Id, [new(request.Kind == RequestKind.Site ? "host" : "domain", $"'{request.PrimaryName}' already belongs to another request.")]);
            }

            // Another change to this request took the same audit sequence number first.
            return ConflictResult(request);
        }
    }

    private static RequestCommandResult ConflictResult(PortalRequest request) =>
        RequestCommandResult.Refused(request.Id, RefusalCode.Conflict,
            "Someone else changed this request at the same time. Reload it to see its current state, then try again.");

    private static async Task<PortalRequest?> LoadAsync(PortalDbContext db, Guid id, bool tracking, CancellationToken ct)
    {
        var query = db.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).AsSplitQuery();
        return await (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(r => r.Id == id, ct);
    }

    private static async Task<IReadOnlySet<string>> NamesInUseAsync(PortalDbContext db, RequestSpec spec, Guid? except, CancellationToken ct)
    {
        var taken = await db.Requests
            .Where(r => r.Kind == spec.Kind && r.PrimaryName == spec.PrimaryName && r.Id != except)
            .Where(r => r.State != RequestState.Withdrawn && r.State != RequestState.Decommissioned)
            .Select(r => r.PrimaryName)
            .ToListAsync(ct);
        return taken.ToHashSet(StringComparer.Ordinal);
    }
}
