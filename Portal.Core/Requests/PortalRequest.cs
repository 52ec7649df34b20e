using Portal.Core.Text;
using Portal.Core.Workflow;

namespace Portal.Core.Requests;

/// <summary>
/// A request for a site or an MTA-STS policy: its revisions, its place in the workflow and its audit trail.
/// All changes go through the methods below, which enforce the workflow rules and record an audit event.
/// </summary>
public sealed class PortalRequest
{
    private readonly List<RequestRevision> _revisions = [];
    private readonly List<AuditEvent> _auditEvents = [];

    private PortalRequest()
    {
    }

    public Guid Id { get; private set; }

    public RequestKind Kind { get; private set; }

    /// <summary>The site host or mail domain this request provisions; fixed for the life of the request.</summary>
    public string PrimaryName { get; private set; } = "";

    public string OwnerId { get; private set; } = "";

    public string OwnerName { get; private set; } = "";

    /// <summary>
    /// The team the request belongs to: its members may edit, upload content and withdraw as the requester may. Null is
    /// the requester's personal scope (every request made before teams existed).
    /// </summary>
    public string? TeamId { get; private set; }

    public RequestState State { get; private set; }

    public int CurrentRevisionNumber { get; private set; }

    /// <summary>The revision serving production, if any.</summary>
    public int? LiveRevisionNumber { get; private set; }

    public string? DecommissionRequestedBy { get; private set; }

    /// <summary>
    /// The site content version that was current in testing when an approver promoted the request: the production
    /// deployment copies exactly this version. Null for an MTA-STS policy, or a site promoted with no content uploaded.
    /// </summary>
    public Guid? ApprovedContentVersionId { get; private set; }

    public int? ApprovedContentVersionNumber { get; private set; }

    /// <summary>The reason of the last failed deployment, shown to the requester.</summary>
    public string? FailureMessage { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token: bumped on every change, so two simultaneous decisions cannot both win.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<RequestRevision> Revisions => _revisions;

    public IReadOnlyList<AuditEvent> AuditEvents => _auditEvents;

    public RequestRevision CurrentRevision => _revisions.Single(r => r.Number == CurrentRevisionNumber);

    public RequestFacts Facts => new(State, OwnerId, CurrentRevision.LastEditorId, LiveRevisionNumber is not null, DecommissionRequestedBy,
        RetiresPolicyFirst: Kind == RequestKind.MtaSts, RetiringUntil: RetiringUntil, TeamId: TeamId);

    /// <summary>
    /// While an MTA-STS policy retires (<see cref="RequestState.Retiring"/>): when the last policy served before
    /// <c>mode: none</c> expires from senders' caches, so the stacks and records may go (RFC 8461 section 8.3).
    /// </summary>
    public DateTimeOffset? RetiringUntil => State is RequestState.Retiring
        ? PolicyRetirement.Until(_auditEvents, n => _revisions.FirstOrDefault(r => r.Number == n)?.Spec)
        : null;

    public static PortalRequest CreateDraft(Guid id, RequestSpec spec, Actor actor, DateTimeOffset now, string? teamId = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(actor);
        var request = new PortalRequest
        {
            Id = id,
            Kind = spec.Kind,
            PrimaryName = spec.PrimaryName,
            OwnerId = actor.Id,
            OwnerName = actor.DisplayName,
            TeamId = teamId,
            State = RequestState.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            CurrentRevisionNumber = 1,
        };
        request._revisions.Add(RequestRevision.Create(id, 1, spec, actor, now));
        request._auditEvents.Add(AuditEvent.Create(id, 1, 1, actor, now, "Create", null, RequestState.Draft, null));
        return request;
    }

    /// <summary>
    /// Records a name that is already served outside the portal, as an admin adopts it: revision 1 is what is served
    /// (<paramref name="spec"/>), the owner and team are the ones the admin picked, and the audit trail names the admin
    /// and what was found. Nothing is deployed: the next revision goes through the normal workflow.
    /// </summary>
    public static PortalRequest Adopt(Guid id, RequestSpec spec, string ownerId, string ownerName, string? teamId, Actor admin, string found, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerName);
        var request = new PortalRequest
        {
            Id = id,
            Kind = spec.Kind,
            PrimaryName = spec.PrimaryName,
            OwnerId = ownerId,
            OwnerName = ownerName,
            TeamId = teamId,
            State = RequestState.Adopted,
            CreatedAt = now,
            UpdatedAt = now,
            CurrentRevisionNumber = 1,
        };
        request._revisions.Add(RequestRevision.Create(id, 1, spec, admin, now));
        request._auditEvents.Add(AuditEvent.Create(id, 1, 1, admin, now, "Adopt", null, RequestState.Adopted, found));
        return request;
    }

    /// <summary>Decides without changing anything: what the UI uses to enable or explain an action.</summary>
    public WorkflowDecision Check(WorkflowAction action, Actor actor, string? reason, DateTimeOffset now, TimeSpan maxAuthAge) =>
        WorkflowRules.Decide(Facts, action, actor, reason, now, maxAuthAge);

    /// <summary>Takes a workflow action. Revise needs a spec and goes through <see cref="Revise"/>.</summary>
    public WorkflowDecision Apply(WorkflowAction action, Actor actor, string? reason, DateTimeOffset now, TimeSpan maxAuthAge)
    {
        if (action is WorkflowAction.Revise or WorkflowAction.UpgradeTemplates)
        {
            return WorkflowDecision.Refuse(RefusalCode.Invalid, "A new revision needs its changed request.");
        }

        var decision = Check(action, actor, reason, now, maxAuthAge);
        if (!decision.Allowed)
        {
            return decision;
        }

        var to = decision.Transition!.To;
        if (to == RequestState.RetirementDeploying && action == WorkflowAction.ApproveDecommission)
        {
            // RFC 8461 section 8.3, steps 1 and 2: the policy is first replaced by mode none (a new revision, so a new
            // id), which the engine deploys like any other revision.
            if (_revisions.Single(r => r.Number == (LiveRevisionNumber ?? CurrentRevisionNumber)).Spec is not MtaStsSpec live)
            {
                return WorkflowDecision.Refuse(RefusalCode.Invalid, "Only an MTA-STS policy is retired before removal.");
            }

            AddRevision(PolicyRetirement.RetirementSpec(live), actor, now);
        }

        switch (action)
        {
            case WorkflowAction.CompleteProductionDeployment:
                LiveRevisionNumber = CurrentRevisionNumber;
                FailureMessage = null;
                break;
            case WorkflowAction.CompleteTestingDeployment or WorkflowAction.CompleteRetirementDeployment:
                FailureMessage = null;
                break;
            case WorkflowAction.FailTestingDeployment or WorkflowAction.FailProductionDeployment or WorkflowAction.FailDecommission
                or WorkflowAction.FailRetirementDeployment:
                FailureMessage = reason;
                break;
            case WorkflowAction.RequestDecommission:
                DecommissionRequestedBy = actor.Id;
                break;
            case WorkflowAction.CancelDecommission:
                DecommissionRequestedBy = null;
                break;
            case WorkflowAction.DiscardRevision:
                CurrentRevisionNumber = LiveRevisionNumber!.Value;
                break;
            case WorkflowAction.CompleteDecommission:
                LiveRevisionNumber = null;
                break;
        }

        Record(action, actor, reason, now, to);
        return decision;
    }

    /// <summary>
    /// Promotes, pinning the content version current in testing at this moment (if any) as the one production gets;
    /// the audit event names it.
    /// </summary>
    /// <param name="changeSets">The production change sets approved (the plan the approver reviewed), named in the audit event; null when production is not planned.</param>
    public WorkflowDecision Promote(Actor actor, string? reason, DateTimeOffset now, TimeSpan maxAuthAge, Guid? contentVersionId, int? contentVersionNumber, string? changeSets = null)
    {
        if (contentVersionId is not null && contentVersionNumber is null)
        {
            return WorkflowDecision.Refuse(RefusalCode.Invalid, "A pinned content version needs its number.");
        }

        var decision = Check(WorkflowAction.Promote, actor, reason, now, maxAuthAge);
        if (!decision.Allowed)
        {
            return decision;
        }

        ApprovedContentVersionId = contentVersionId;
        ApprovedContentVersionNumber = contentVersionNumber;
        var content = contentVersionNumber is { } n ? $"content version {n}" : Kind == RequestKind.Site ? "no content version" : null;
        var text = (reason?.Trim(), content) switch
        {
            ({ Length: > 0 } given, { } c) => $"{given} ({c})",
            ({ Length: > 0 } given, null) => given,
            (_, { } c) => char.ToUpperInvariant(c[0]) + c[1..],
            _ => null,
        };
        if (changeSets is not null)
        {
            var approved = $"approved change sets: {changeSets}";
            text = text is null ? char.ToUpperInvariant(approved[0]) + approved[1..] : $"{text}; {approved}";
            text = text.Length > FreeText.MaxReasonLength ? text[..FreeText.MaxReasonLength] : text;
        }

        Record(WorkflowAction.Promote, actor, text, now, decision.Transition!.To);
        return decision;
    }

    /// <summary>Allowed, and the request stays where it is.</summary>
    private static readonly WorkflowDecision StaysInState = new(true, null, null, null);

    /// <summary>
    /// Whether the actor may restore revision <paramref name="number"/> as a new revision now: the people who may change
    /// the request (its owner, a member of its team, an admin), an earlier revision it has, and only where the workflow
    /// lets this person add a revision in the request's state (not a draft, which is edited in place, nor a request
    /// deploying or on its way out). The request page offers the button and the API accepts the call by this one rule; the validator then
    /// decides whether the old spec still holds.
    /// </summary>
    public WorkflowDecision CheckRevisionRestore(Actor actor, int number, DateTimeOffset now, TimeSpan maxAuthAge)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem)
        {
            return WorkflowDecision.Refuse(RefusalCode.PersonRequired, "A revision is restored by a person.");
        }

        if (!actor.IsIn(PortalRole.Admin) && !actor.IsIn(PortalRole.Requester))
        {
            return WorkflowDecision.Refuse(RefusalCode.RoleRequired, "Restoring a revision needs the Requester role.");
        }

        if (!actor.IsIn(PortalRole.Admin) && actor.Id != OwnerId && !actor.IsMemberOf(TeamId))
        {
            return WorkflowDecision.Refuse(RefusalCode.NotOwner, TeamId is { } team
                ? $"Only the person who made this request, a member of team '{team}', or an admin, can restore its revisions."
                : "Only the person who made this request, or an admin, can restore its revisions.");
        }

        if (_revisions.All(r => r.Number != number))
        {
            return WorkflowDecision.Refuse(RefusalCode.NotFound, $"This request has no revision {number}.");
        }

        if (number == CurrentRevisionNumber)
        {
            return WorkflowDecision.Refuse(RefusalCode.Invalid, $"Revision {number} is the current revision; there is nothing to restore.");
        }

        var revise = Check(WorkflowAction.Revise, actor, null, now, maxAuthAge);
        return revise.Allowed ? StaysInState : revise;
    }

    /// <summary>Whether the actor may publish content to this site's testing environment now.</summary>
    public WorkflowDecision CheckContentUpload(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Kind != RequestKind.Site)
        {
            return WorkflowDecision.Refuse(RefusalCode.Invalid, "Only a site has content to upload; an MTA-STS policy is served from its stack.");
        }

        if (State is RequestState.Draft or RequestState.Withdrawn or RequestState.DecommissionRequested or RequestState.Decommissioning
            or RequestState.Decommissioned or RequestState.DecommissionFailed)
        {
            return WorkflowDecision.Refuse(RefusalCode.NotAllowedInState, $"Content cannot be uploaded while the site is {WorkflowRules.Describe(State)}.");
        }

        if (actor.IsSystem)
        {
            return WorkflowDecision.Refuse(RefusalCode.RoleRequired, "Content is uploaded by a person.");
        }

        if (actor.IsIn(PortalRole.Admin))
        {
            return StaysInState;
        }

        if (!actor.IsIn(PortalRole.Requester))
        {
            return WorkflowDecision.Refuse(RefusalCode.RoleRequired, "Uploading content needs the Requester role.");
        }

        return actor.Id == OwnerId || actor.IsMemberOf(TeamId)
            ? StaysInState
            : WorkflowDecision.Refuse(RefusalCode.NotOwner, TeamId is { } team
                ? $"Only the person who made this request, a member of team '{team}', or an admin, can upload its content."
                : "Only the person who made this request, or an admin, can upload its content.");
    }

    /// <summary>
    /// Records a new content version in testing in the audit trail (published by the portal, or read back from what a
    /// pipeline published); the state does not change.
    /// </summary>
    public WorkflowDecision RecordContentVersion(Actor actor, int number, string summary, bool readFromTesting, DateTimeOffset now, int? restoredFrom = null, string? adoptedFrom = null)
    {
        var decision = CheckContentUpload(actor);
        if (decision.Allowed)
        {
            var (action, reason) = (restoredFrom, readFromTesting) switch
            {
                _ when adoptedFrom is not null => ("CopyAdoptedContent", $"Content version {number} copied to testing from the adopted bucket {adoptedFrom}: {summary}"),
                ({ } from, _) => ("RestoreContent", $"Content version {number} restored to testing from version {from}: {summary}"),
                (null, true) => ("RecordContent", $"Content version {number} recorded from what testing holds: {summary}"),
                _ => ("PublishContent", $"Content version {number} published to testing: {summary}"),
            };
            Record(action, actor, reason, now, State);
        }

        return decision;
    }

    /// <summary>
    /// Records in the audit trail, by the system, that one of the request's stacks no longer matches its template; the
    /// state does not change. The caller decides when drift is news (once per turn to drifted), so this only records.
    /// </summary>
    public void RecordDrift(string action, string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Record(action, Actor.System, reason, now, State);
    }

    /// <summary>Replaces the spec of a draft in place; a draft has not been deployed, so it needs no new revision.</summary>
    public WorkflowDecision EditDraft(RequestSpec spec, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(actor);
        if (State != RequestState.Draft)
        {
            return WorkflowDecision.Refuse(RefusalCode.NotAllowedInState, $"Only a draft can be edited in place; this request is {WorkflowRules.Describe(State)}. Edit it as a new revision instead.");
        }

        // Editing a draft needs exactly the rights of submitting it: its owner or an admin.
        var who = WorkflowRules.Decide(Facts, WorkflowAction.Submit, actor, null, now, TimeSpan.MaxValue);
        if (!who.Allowed)
        {
            return who;
        }

        var mismatch = CheckSameSubject(spec);
        if (mismatch is not null)
        {
            return mismatch;
        }

        CurrentRevision.Edit(spec, actor, now);
        Record("EditDraft", actor, null, now, State);
        return who;
    }

    /// <summary>Starts a new revision from a changed spec and submits it for a testing deployment.</summary>
    /// <param name="note">Recorded with the revision in the audit trail (a restored revision names the one it came from).</param>
    public WorkflowDecision Revise(RequestSpec spec, Actor actor, DateTimeOffset now, TimeSpan maxAuthAge, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var decision = Check(WorkflowAction.Revise, actor, null, now, maxAuthAge);
        if (!decision.Allowed)
        {
            return decision;
        }

        var mismatch = CheckSameSubject(spec);
        if (mismatch is not null)
        {
            return mismatch;
        }

        AddRevision(spec, actor, now);
        Record(WorkflowAction.Revise, actor, note, now, decision.Transition!.To);
        return decision;
    }

    private void AddRevision(RequestSpec spec, Actor actor, DateTimeOffset now)
    {
        var number = _revisions.Max(r => r.Number) + 1;
        _revisions.Add(RequestRevision.Create(Id, number, spec, actor, now));
        CurrentRevisionNumber = number;
    }

    /// <summary>
    /// Starts a new revision with the current spec unchanged, taken by the portal itself when its templates changed
    /// since the stacks were deployed: testing redeploys at once, production only after the usual approval. When an
    /// admin asked for it (<paramref name="requestedBy"/>), the revision is theirs, so they cannot approve it themselves.
    /// </summary>
    public WorkflowDecision UpgradeTemplates(string reason, DateTimeOffset now, Actor? requestedBy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var decision = Check(WorkflowAction.UpgradeTemplates, Actor.System, reason, now, TimeSpan.MaxValue);
        if (!decision.Allowed)
        {
            return decision;
        }

        var number = _revisions.Max(r => r.Number) + 1;
        _revisions.Add(RequestRevision.Create(Id, number, CurrentRevision.Spec, requestedBy ?? Actor.System, now));
        CurrentRevisionNumber = number;
        Record(WorkflowAction.UpgradeTemplates, Actor.System, reason, now, decision.Transition!.To);
        return decision;
    }

    private WorkflowDecision? CheckSameSubject(RequestSpec spec)
    {
        if (spec.Kind != Kind)
        {
            return WorkflowDecision.Refuse(RefusalCode.Invalid, "A request cannot change its kind; create a new request instead.");
        }

        return spec.PrimaryName != PrimaryName
            ? WorkflowDecision.Refuse(RefusalCode.Invalid, $"This request is for '{PrimaryName}'; to provision '{spec.PrimaryName}', create a new request.")
            : null;
    }

    private void Record(WorkflowAction action, Actor actor, string? reason, DateTimeOffset now, RequestState to) =>
        Record(action.ToString(), actor, reason, now, to);

    private void Record(string action, Actor actor, string? reason, DateTimeOffset now, RequestState to)
    {
        _auditEvents.Add(AuditEvent.Create(Id, _auditEvents.Count + 1, CurrentRevisionNumber, actor, now, action, State, to, reason));
        State = to;
        UpdatedAt = now;
        Version++;
    }
}
