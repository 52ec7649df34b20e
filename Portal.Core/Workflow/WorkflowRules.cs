using Portal.Core.Text;

namespace Portal.Core.Workflow;

/// <summary>What a rule check needs to know about a request, without loading the whole entity.</summary>
public sealed record RequestFacts(
    RequestState State,
    string OwnerId,
    string LastEditorId,
    bool HasLiveRevision,
    string? DecommissionRequestedBy,
    bool RetiresPolicyFirst = false,
    DateTimeOffset? RetiringUntil = null,
    string? TeamId = null);

public sealed record WorkflowDecision(bool Allowed, WorkflowTransition? Transition, RefusalCode? Code, string? Reason)
{
    public static WorkflowDecision Allow(WorkflowTransition transition) => new(true, transition, null, null);

    public static WorkflowDecision Refuse(RefusalCode code, string reason) => new(false, null, code, reason);
}

/// <summary>
/// Decides whether an actor may take an action on a request. Refusals are values with a reason to show,
/// never exceptions: a person clicking the wrong thing is not an error.
/// </summary>
public static class WorkflowRules
{
    public static WorkflowDecision Decide(
        RequestFacts request, WorkflowAction action, Actor actor, string? reason, DateTimeOffset now, TimeSpan maxAuthAge)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);

        // Checked before the state, so a pipeline learns the rule itself rather than that the request is not ready yet.
        if (actor.IsServiceAccount && WorkflowTable.NeedsPerson(action))
        {
            return WorkflowDecision.Refuse(RefusalCode.PersonRequired,
                $"{Describe(action)} is a decision for a person who signed in with MFA; a service account can never approve, reject or decommission.");
        }

        var candidates = WorkflowTable.From(request.State, action).ToList();
        if (candidates.Count == 0)
        {
            return WorkflowDecision.Refuse(RefusalCode.NotAllowedInState, $"{Describe(action)} is not possible while the request is {Describe(request.State)}.");
        }

        var transition = candidates.FirstOrDefault(t => ConditionHolds(t.Condition, request, now));
        if (transition is null)
        {
            return WorkflowDecision.Refuse(RefusalCode.ConditionNotMet, candidates.Any(t => t.Condition == TransitionCondition.RetirementOver)
                ? $"The policy is retiring until {request.RetiringUntil?.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)}: senders may still hold an earlier policy until then."
                : request.HasLiveRevision
                ? "This request is live in production: discard the pending revision, or request decommission to remove it."
                : "Nothing of this request is live in production, so there is no live revision to return to.");
        }

        var who = CheckActor(transition, request, actor);
        if (who is not null)
        {
            return who;
        }

        // Every reason is stored in the audit trail and shown to others: the free-text rule holds whether or not one is needed.
        if (FreeText.Problem(reason, "The reason", FreeText.MaxReasonLength, multiline: true) is { } badReason)
        {
            return WorkflowDecision.Refuse(RefusalCode.ReasonInvalid, badReason);
        }

        if (transition.NeedsReason && string.IsNullOrWhiteSpace(reason))
        {
            return WorkflowDecision.Refuse(RefusalCode.ReasonRequired, $"{Describe(action)} needs a reason.");
        }

        // Checked last so a person is only sent to sign in again when that is all that stands in the way.
        if (transition.NeedsRecentSignIn)
        {
            if (actor.AuthenticatedAt is not { } at || now - at > maxAuthAge)
            {
                return WorkflowDecision.Refuse(RefusalCode.StepUpRequired,
                    $"{Describe(action)} needs a sign-in within the last {FormatAge(maxAuthAge)}; please sign in again.");
            }
        }

        return WorkflowDecision.Allow(transition);
    }

    private static WorkflowDecision? CheckActor(WorkflowTransition transition, RequestFacts request, Actor actor)
    {
        var action = Describe(transition.Action);
        switch (transition.Who)
        {
            case ActorRule.System:
                return actor.IsSystem ? null : WorkflowDecision.Refuse(RefusalCode.RoleRequired, $"{action} is done by the portal itself.");
            case ActorRule.OwnerOrAdmin:
                if (actor.IsSystem)
                {
                    return WorkflowDecision.Refuse(RefusalCode.RoleRequired, $"{action} is done by a person.");
                }

                if (actor.IsIn(PortalRole.Admin))
                {
                    return null;
                }

                if (!actor.IsIn(PortalRole.Requester))
                {
                    return WorkflowDecision.Refuse(RefusalCode.RoleRequired, $"{action} needs the Requester role.");
                }

                // A request that belongs to a team is its members' as much as its requester's: whoever stays can carry it on.
                return actor.Id == request.OwnerId || actor.IsMemberOf(request.TeamId)
                    ? null
                    : WorkflowDecision.Refuse(RefusalCode.NotOwner, request.TeamId is { } team
                        ? $"Only the person who made this request, a member of team '{team}', or an admin, can {action.ToLowerInvariant()}."
                        : $"Only the person who made this request, or an admin, can {action.ToLowerInvariant()}.");
            case ActorRule.Admin:
                return actor.IsIn(PortalRole.Admin) ? null : WorkflowDecision.Refuse(RefusalCode.RoleRequired, $"{action} needs the Admin role.");
            case ActorRule.IndependentApprover:
                // The Approver role approves for every team; a per-team approver only for the teams an admin named.
                if (!actor.IsIn(PortalRole.Approver) && !actor.ApprovesFor(request.TeamId))
                {
                    return WorkflowDecision.Refuse(RefusalCode.RoleRequired, actor.ApproverTeams.Count > 0 && !actor.IsSystem
                        ? $"You approve for team {string.Join(", ", actor.ApproverTeams.Order(StringComparer.Ordinal).Select(t => $"'{t}'"))}; "
                          + (request.TeamId is { } owningTeam ? $"this request belongs to team '{owningTeam}'." : "this request belongs to no team.")
                          + $" {action} needs an approver of its team or the Approver role."
                        : $"{action} needs the Approver role.");
                }

                if (transition.Action == WorkflowAction.ApproveDecommission)
                {
                    return actor.Id == request.DecommissionRequestedBy
                        ? WorkflowDecision.Refuse(RefusalCode.SeparationOfDuties, "You asked for this decommission; a different approver must approve it.")
                        : null;
                }

                if (actor.Id == request.OwnerId)
                {
                    return WorkflowDecision.Refuse(RefusalCode.SeparationOfDuties, "You submitted this request; a different approver must review it.");
                }

                return actor.Id == request.LastEditorId
                    ? WorkflowDecision.Refuse(RefusalCode.SeparationOfDuties, "You last edited this request; a different approver must review it.")
                    : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(transition), transition.Who, "Unknown actor rule.");
        }
    }

    private static bool ConditionHolds(TransitionCondition condition, RequestFacts request, DateTimeOffset now) => condition switch
    {
        TransitionCondition.None => true,
        TransitionCondition.HasLiveRevision => request.HasLiveRevision,
        TransitionCondition.NoLiveRevision => !request.HasLiveRevision,
        TransitionCondition.RetiresPolicyFirst => request.RetiresPolicyFirst,
        TransitionCondition.RemovesAtOnce => !request.RetiresPolicyFirst,
        TransitionCondition.RetirementOver => request.RetiringUntil is { } until && now >= until,
        _ => false,
    };

    private static string FormatAge(TimeSpan age) =>
        age.TotalMinutes >= 1 && age.Seconds == 0 ? $"{(int)age.TotalMinutes} minutes" : $"{(int)age.TotalSeconds} seconds";

    /// <summary>Human wording of an action, e.g. "Request approval".</summary>
    public static string Describe(WorkflowAction action) => action switch
    {
        WorkflowAction.Submit => "Submit",
        WorkflowAction.Withdraw => "Withdraw",
        WorkflowAction.Revise => "Edit as a new revision",
        WorkflowAction.DiscardRevision => "Discard the pending revision",
        WorkflowAction.StartTestingDeployment => "Start the testing deployment",
        WorkflowAction.CompleteTestingDeployment => "Complete the testing deployment",
        WorkflowAction.FailTestingDeployment => "Fail the testing deployment",
        WorkflowAction.RequestApproval => "Request approval",
        WorkflowAction.Promote => "Promote",
        WorkflowAction.Reject => "Reject",
        WorkflowAction.StartProductionDeployment => "Start the production deployment",
        WorkflowAction.CompleteProductionDeployment => "Complete the production deployment",
        WorkflowAction.FailProductionDeployment => "Fail the production deployment",
        WorkflowAction.Retry => "Retry",
        WorkflowAction.RequestDecommission => "Decommission",
        WorkflowAction.CancelDecommission => "Cancel the decommission",
        WorkflowAction.ApproveDecommission => "Approve the decommission",
        WorkflowAction.CompleteDecommission => "Complete the decommission",
        WorkflowAction.FailDecommission => "Fail the decommission",
        WorkflowAction.UpgradeTemplates => "Redeploy with the current templates",
        WorkflowAction.CompleteRetirementDeployment => "Complete the retirement deployment",
        WorkflowAction.FailRetirementDeployment => "Fail the retirement deployment",
        WorkflowAction.EndRetirement => "End the retirement",
        WorkflowAction.EndRetirementEarly => "Finish the retirement now",
        _ => action.ToString(),
    };

    /// <summary>
    /// A state as a label stands on its own (a chip, a table cell, a column of counts, "Draft → Submitted" in a
    /// history): capitalised, without the article that <see cref="Describe(RequestState)"/> needs inside a sentence.
    /// </summary>
    public static string Label(RequestState state) => state switch
    {
        RequestState.Draft => "Draft",
        _ => Capitalise(Describe(state)),
    };

    /// <summary>Two states as a change from one to the other, e.g. "Draft → Submitted".</summary>
    public static string Transition(RequestState? from, RequestState to) =>
        from is { } f ? $"{Label(f)} → {Label(to)}" : Label(to);

    private static string Capitalise(string text) =>
        text.Length == 0 ? text : string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1));

    /// <summary>Human wording of a state, e.g. "awaiting approval".</summary>
    public static string Describe(RequestState state) => state switch
    {
        RequestState.Draft => "a draft",
        RequestState.Submitted => "submitted",
        RequestState.TestingDeploying => "deploying to testing",
        RequestState.TestingReady => "ready in testing",
        RequestState.TestingFailed => "failed in testing",
        RequestState.AwaitingApproval => "awaiting approval",
        RequestState.Approved => "approved",
        RequestState.ProductionDeploying => "deploying to production",
        RequestState.Live => "live",
        RequestState.ProductionFailed => "failed in production",
        RequestState.Rejected => "rejected",
        RequestState.Withdrawn => "withdrawn",
        RequestState.DecommissionRequested => "waiting for decommission approval",
        RequestState.Decommissioning => "being decommissioned",
        RequestState.Decommissioned => "decommissioned",
        RequestState.DecommissionFailed => "failed to decommission",
        RequestState.RetirementDeploying => "publishing mode none before removal",
        RequestState.Retiring => "retiring (serving mode none)",
        RequestState.RetirementFailed => "failed to publish mode none",
        RequestState.Adopted => "adopted (served outside the portal)",
        _ => state.ToString(),
    };

    /// <summary>States in which a request holds its name, so no other request may take it.</summary>
    /// <summary>States the system moves on from by itself (a deployment is queued or running): pages watching one expect a change soon.</summary>
    public static bool IsSystemWorking(RequestState state) => state is RequestState.Submitted or RequestState.TestingDeploying or RequestState.Approved
        or RequestState.ProductionDeploying or RequestState.Decommissioning or RequestState.RetirementDeploying;

    /// <summary>
    /// States the system leaves by itself at a set moment rather than soon (a retiring policy waits for earlier policies to
    /// expire, days or weeks): the engine checks them, pages do not poll them.
    /// </summary>
    public static bool WaitsForTime(RequestState state) => state is RequestState.Retiring;

    public static bool HoldsName(RequestState state) => state is not (RequestState.Withdrawn or RequestState.Decommissioned);
}
