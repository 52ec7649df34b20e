using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Approvals;
using Portal.Core.Deployments;
using Portal.Core.Observability;
using Portal.Infrastructure.Persistence;
using Portal.Core.Workflow;
using Portal.Core.Requests;
using Portal.Core.TlsReports;
using Portal.Infrastructure.TlsReports;
using Portal.Core.Teams;
using Portal.Core.Zones;
using Portal.Infrastructure.Teams;

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
/// <paramref name="TeamId"/> is the team a new request belongs to (null: the person's own); an existing request keeps its team.
public sealed record SaveRequestCommand(Guid? ExistingId, int? ExpectedVersion, RequestSpec Spec, bool Submit, string? TeamId = null);

/// <summary>
/// Creates requests and moves them through the workflow, one short unit of work per command, so the UI, the API
/// and background services share one set of rules and a concurrent change is refused rather than lost.
/// </summary>
/// <summary>
/// Whether production must be planned before it can be approved: when the portal deploys (to AWS or the sandbox), the
/// approver approves the change sets the engine created; in plan-only mode nothing is deployed, so nothing is planned.
/// </summary>
public interface IProductionPlanRequirement
{
    Task<bool> RequiredAsync(CancellationToken ct);
}

/// <param name="plans">Null: production is never planned (promotion approves the rendered templates, as before plans existed).</param>
public sealed class RequestService(
    IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IOptions<ApprovalOptions> approval, PortalMetrics? metrics = null, EnforcementGateService? enforcementGate = null,
    IProductionPlanRequirement? plans = null, Accounts.TargetAccountDirectory? accounts = null)
{
    private TimeSpan MaxAuthAge => approval.Value.MaxAuthAge;

    public Task<RequestCommandResult> CreateAsync(RequestSpec spec, Actor actor, bool submit, CancellationToken ct = default) =>
        CreateAsync(spec, actor, submit, null, ct);

    /// <summary>Creates a request that belongs to <paramref name="teamId"/> (null: the person's own), which they must be a member of.</summary>
    public async Task<RequestCommandResult> CreateAsync(RequestSpec spec, Actor actor, bool submit, string? teamId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(actor);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        if (!AvailableActions.CanCreate(actor))
        {
            return RequestCommandResult.Refused(id, RefusalCode.RoleRequired, "Creating a request needs the Requester role.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        actor = await TeamAccess.CompleteAsync(db, actor, ct);
        var team = string.IsNullOrWhiteSpace(teamId) ? null : teamId.Trim();
        if (TeamRules.CheckCreateIn(actor, team) is { } notMember)
        {
            return RequestCommandResult.InvalidSpec(id, [notMember]);
        }

        var grants = await TeamAccess.GrantsAsync(db, ct);
        spec = ZoneRules.ResolveZoneId(spec, grants);
        var validation = Validate(spec, await NamesInUseAsync(db, spec, null, ct), draft: !submit);
        var errors = WithZoneRule(validation.Errors, spec, team, grants);
        if (errors.Count > 0)
        {
            return RequestCommandResult.InvalidSpec(id, errors);
        }

        var now = clock.GetUtcNow();
        var request = PortalRequest.CreateDraft(id, spec, actor, now, team);
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
            return await CreateAsync(command.Spec, actor, command.Submit, command.TeamId, ct);
        }

        var spec = await ResolveZoneAsync(command.Spec, ct);
        actor = await CompleteAsync(actor, ct);
        return await ChangeAsync(id, command.ExpectedVersion, spec, draft: !command.Submit, (request, now) =>
        {
            if (request.State != RequestState.Draft)
            {
                return request.Revise(spec, actor, now, MaxAuthAge);
            }

            var edited = request.EditDraft(spec, actor, now);
            return edited.Allowed && command.Submit ? request.Apply(WorkflowAction.Submit, actor, null, now, MaxAuthAge) : edited;
        }, ct);
    }

    public async Task<RequestCommandResult> EditDraftAsync(Guid id, RequestSpec spec, Actor actor, int? expectedVersion = null, CancellationToken ct = default)
    {
        spec = await ResolveZoneAsync(spec, ct);
        actor = await CompleteAsync(actor, ct);
        return await ChangeAsync(id, expectedVersion, spec, draft: true, (request, now) => request.EditDraft(spec, actor, now), ct);
    }

    public async Task<RequestCommandResult> ReviseAsync(Guid id, RequestSpec spec, Actor actor, int? expectedVersion = null, CancellationToken ct = default)
    {
        spec = await ResolveZoneAsync(spec, ct);
        actor = await CompleteAsync(actor, ct);
        return await ChangeAsync(id, expectedVersion, spec, draft: false, (request, now) => request.Revise(spec, actor, now, MaxAuthAge), ct);
    }

    /// <summary>
    /// Rolls the request back to an earlier revision: a NEW revision whose spec is revision <paramref name="number"/>'s,
    /// which then follows the normal workflow (testing at once, production through approval). Refused, with today's
    /// validation messages, when the old spec is no longer valid under today's rules.
    /// </summary>
    public async Task<RequestCommandResult> RestoreRevisionAsync(Guid id, int number, Actor actor, int? expectedVersion = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        actor = await CompleteAsync(actor, ct);
        RequestSpec old;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var request = await LoadAsync(db, id, tracking: false, ct);
            if (request is null)
            {
                return RequestCommandResult.Refused(id, RefusalCode.NotFound, "No such request.");
            }

            var allowed = request.CheckRevisionRestore(actor, number, clock.GetUtcNow(), MaxAuthAge);
            if (!allowed.Allowed)
            {
                return RequestCommandResult.From(id, allowed, request);
            }

            old = request.Revisions.Single(r => r.Number == number).Spec;
        }

        var spec = await ResolveZoneAsync(old, ct);
        var result = await ChangeAsync(id, expectedVersion, spec, draft: false,
            (request, now) => request.Revise(spec, actor, now, MaxAuthAge, $"Restored revision {number}"), ct);
        return result.Code == RefusalCode.Invalid && result.Errors.Count > 0
            ? result with
            {
                Message = $"Revision {number} cannot be restored: it is no longer valid under today's rules. " +
                    string.Join(" ", result.Errors.Select(e => e.Message)),
            }
            : result;
    }

    /// <summary>A zone given by name alone gets its id from the allowed zones, so forms and the API may name it only.</summary>
    private async Task<RequestSpec> ResolveZoneAsync(RequestSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ZoneRules.ResolveZoneId(spec, await TeamAccess.GrantsAsync(db, ct));
    }

    /// <summary>The zone rule's refusal, if any, joined to the spec's own errors.</summary>
    private static List<FieldError> WithZoneRule(IReadOnlyList<FieldError> errors, RequestSpec spec, string? teamId, IReadOnlyList<ZoneGrant> grants)
    {
        var all = errors.ToList();
        if (ZoneRules.Check(spec, ZoneRules.ForTeam(grants, teamId), enforced: grants.Count > 0) is { } zone && all.All(e => e.Field != zone.Field))
        {
            all.Add(zone);
        }

        return all;
    }

    /// <summary>A new revision with the same spec, taken by the portal because its templates changed; refused if the request moved on from <paramref name="expectedVersion"/>.</summary>
    public Task<RequestCommandResult> UpgradeTemplatesAsync(Guid id, string reason, int expectedVersion, Actor? requestedBy = null, CancellationToken ct = default) =>
        ChangeAsync(id, expectedVersion, null, draft: false, (request, now) => request.UpgradeTemplates(reason, now, requestedBy), ct);

    /// <summary>
    /// Takes a workflow action. <paramref name="expectedVersion"/> is the version the person was looking at: if the request
    /// changed since, the action is refused so nobody approves something they did not see.
    /// </summary>
    public async Task<RequestCommandResult> ApplyAsync(Guid id, WorkflowAction action, Actor actor, string? reason = null, int? expectedVersion = null, CancellationToken ct = default)
    {
        if (action == WorkflowAction.Promote)
        {
            return await PromoteAsync(id, actor, reason, expectedVersion, null, null, ct);
        }

        actor = await CompleteAsync(actor, ct);
        return await ChangeAsync(id, expectedVersion, null, draft: false, (request, now) => request.Apply(action, actor, reason, now, MaxAuthAge), ct,
            validateCurrent: action == WorkflowAction.Submit);
    }

    /// <summary>The actor with the teams and per-team approvals admins gave them; the portal itself has none.</summary>
    public async Task<Actor> CompleteAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem)
        {
            return actor;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await TeamAccess.CompleteAsync(db, actor, ct);
    }

    /// <summary>
    /// Promotes a request. For a site, the content version current in testing at this moment is pinned as the one
    /// production gets. <paramref name="expectedContentVersionId"/> is the version the approver reviewed: if testing
    /// has moved on since, the promotion is refused so nobody approves content they did not see.
    /// Where production is planned, the current plan must be ready and still fit the request (revision, content
    /// version); <paramref name="expectedPlanId"/> is the plan the approver reviewed, and a different current plan is
    /// refused ("the plan changed, review again"). The plan is marked approved in the same unit of work, so the
    /// production deployment executes exactly its change sets.
    /// </summary>
    public async Task<RequestCommandResult> PromoteAsync(
        Guid id, Actor actor, string? reason = null, int? expectedVersion = null, Guid? expectedContentVersionId = null, Guid? expectedPlanId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        actor = await TeamAccess.CompleteAsync(db, actor, ct);
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

        ProductionPlan? plan = null;
        if (plans is not null && request.State == RequestState.AwaitingApproval && await plans.RequiredAsync(ct))
        {
            // Who may promote is checked first, so a person without the right sees that reason rather than the plan's.
            var allowed = request.Check(WorkflowAction.Promote, actor, reason, clock.GetUtcNow(), MaxAuthAge);
            if (!allowed.Allowed)
            {
                return RequestCommandResult.From(id, allowed, request);
            }

            plan = await db.ProductionPlans.Where(p => p.RequestId == id && p.Status != PlanStatus.Stale)
                .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
            if (PlanProblem(plan, request, current?.Id, expectedPlanId) is { } problem)
            {
                return RequestCommandResult.Refused(id, RefusalCode.Conflict, problem);
            }

            plan!.Status = PlanStatus.Approved;
            plan.ApprovedAt = clock.GetUtcNow();
            plan.ApprovedBy = actor.Id;
            plan.Version++;
        }

        var recorded = request.AuditEvents.Count;
        var decision = request.Promote(actor, reason, clock.GetUtcNow(), MaxAuthAge, current?.Id, current?.Number, plan?.ChangeSetIds);
        if (!decision.Allowed)
        {
            return RequestCommandResult.From(id, decision, request);
        }

        // Promoting an MTA-STS policy switches it to enforce: where the portal is set to block on missing or bad evidence
        // (TLS reports, MX transport checks), nothing is saved and the approver reads what is missing.
        if (enforcementGate is not null && await enforcementGate.JudgeAsync(request, ct) is { Outcome: GateOutcome.Block } verdict)
        {
            return RequestCommandResult.Refused(id, RefusalCode.ConditionNotMet, verdict.Explanation);
        }

        // A content upload recorded meanwhile bumped the request's version, so this save fails rather than pinning a stale version.
        return await SaveTransitionAsync(db, request, recorded, ct);
    }

    /// <summary>Why the request's current plan cannot be approved now, in words for the approver; null when it can.</summary>
    internal static string? PlanProblem(ProductionPlan? plan, PortalRequest request, Guid? currentContent, Guid? expectedPlanId)
    {
        if (plan is null || plan.Status == PlanStatus.Creating)
        {
            return "The production plan (CloudFormation's change sets) is being created. Promote waits until it is ready to review.";
        }

        if (plan.Status == PlanStatus.Failed)
        {
            return $"The production plan could not be created: {plan.FailureMessage} Fix the request or retry later; the plan is made again when anything changes.";
        }

        if (plan.Status != PlanStatus.Ready)
        {
            return "This request's production plan is already approved.";
        }

        if (plan.Revision != request.CurrentRevisionNumber || plan.ContentVersionId != currentContent)
        {
            return "The plan changed, review again: testing moved on since the plan was made, and a new plan is being created.";
        }

        return expectedPlanId is not null && expectedPlanId != plan.Id
            ? "The plan changed, review again: the change sets you reviewed were replaced by a new plan."
            : null;
    }

    /// <summary>The request's current production plan (the newest one not replaced), or null when none was made.</summary>
    public async Task<ProductionPlan?> CurrentPlanAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ProductionPlans.AsNoTracking().Where(p => p.RequestId == id && p.Status != PlanStatus.Stale)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>The newest replaced plan of a request, with why it was replaced (shown as "the plan changed, review again").</summary>
    public async Task<ProductionPlan?> LastStalePlanAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ProductionPlans.AsNoTracking().Where(p => p.RequestId == id && p.Status == PlanStatus.Stale)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>Whether promotion waits for a production plan in this portal (it deploys), so pages say so.</summary>
    public async Task<bool> PlansRequiredAsync(CancellationToken ct = default) => plans is not null && await plans.RequiredAsync(ct);

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
    /// <summary>Whether this person may restore revision <paramref name="number"/> of the request now: the rule the API's restore applies, for the page's button.</summary>
    public WorkflowDecision CheckRevisionRestore(PortalRequest request, int number, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.CheckRevisionRestore(actor, number, clock.GetUtcNow(), MaxAuthAge);
    }

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
            var errors = WithZoneRule(validation.Errors, spec, request.TeamId, await TeamAccess.GrantsAsync(db, ct));
            if (errors.Count > 0)
            {
                return RequestCommandResult.InvalidSpec(id, errors);
            }

            // The 404 page (or index.html for a single-page application) must be in the content already uploaded.
            if (spec is SiteSpec site)
            {
                var newest = await NewestContentAsync(db, id, ct);
                if (SiteErrorPages.CheckAgainstContent(site, Paths(newest), newest?.Number) is { } missing)
                {
                    return RequestCommandResult.InvalidSpec(id, [missing]);
                }
            }
        }
        else if (validateCurrent)
        {
            // A draft may have been saved unfinished: submitting it runs every rule on what it holds.
            var current = request.CurrentRevision.Spec;
            var validation = SpecValidator.Validate(current, await NamesInUseAsync(db, current, id, ct));
            var errors = WithZoneRule(validation.Errors, current, request.TeamId, await TeamAccess.GrantsAsync(db, ct));
            if (errors.Count > 0)
            {
                return RequestCommandResult.InvalidSpec(id, errors);
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

    /// <summary>The site's newest uploaded content version, or null before any upload.</summary>
    private static Task<Core.Content.ContentVersion?> NewestContentAsync(PortalDbContext db, Guid id, CancellationToken ct) =>
        db.ContentVersions.AsNoTracking().Where(v => v.RequestId == id).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);

    /// <summary>Whether the site's missing-path setting fits its newest uploaded content (the form asks while a person types).</summary>
    public async Task<FieldError?> CheckErrorPagesAsync(Guid id, SiteSpec site, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newest = await NewestContentAsync(db, id, ct);
        return SiteErrorPages.CheckAgainstContent(site, Paths(newest), newest?.Number);
    }

    private static List<string>? Paths(Core.Content.ContentVersion? version) => version?.Files.Select(f => f.Path).ToList();

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
