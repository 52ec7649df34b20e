namespace Portal.Core.Workflow;

/// <summary>Who may take a transition.</summary>
public enum ActorRule
{
    /// <summary>Only the portal's own background work.</summary>
    System,

    /// <summary>The person who owns the request, or an admin.</summary>
    OwnerOrAdmin,

    /// <summary>A person with the Approver role who neither submitted nor last edited the request.</summary>
    IndependentApprover,

    /// <summary>A person with the Admin role.</summary>
    Admin,
}

/// <summary>A condition on the request's data, beyond its state.</summary>
public enum TransitionCondition
{
    None,

    /// <summary>A revision is live in production.</summary>
    HasLiveRevision,

    /// <summary>Nothing is live in production yet.</summary>
    NoLiveRevision,

    /// <summary>
    /// The request serves a policy that senders cache (MTA-STS): it is retired first, by serving <c>mode: none</c> until
    /// every earlier policy has expired (RFC 8461 section 8.3).
    /// </summary>
    RetiresPolicyFirst,

    /// <summary>Nothing the request serves is cached by others on a promise (a site): its stacks can go at once.</summary>
    RemovesAtOnce,

    /// <summary>The retirement's wait is over: every policy served before <c>mode: none</c> has expired.</summary>
    RetirementOver,
}

public sealed record WorkflowTransition(
    RequestState From,
    WorkflowAction Action,
    RequestState To,
    ActorRule Who,
    TransitionCondition Condition = TransitionCondition.None,
    bool NeedsRecentSignIn = false,
    bool NeedsReason = false);

/// <summary>
/// The state machine of DESIGN.md section 5 as data: every allowed (state, action) pair, who may take it and what it needs.
/// Anything not listed is refused. Tests enumerate this table, so a new state or action cannot go untested.
/// </summary>
public static class WorkflowTable
{
    private static readonly RequestState[] PendingRevisionStates =
    [
        RequestState.TestingReady, RequestState.TestingFailed, RequestState.AwaitingApproval, RequestState.Rejected,
    ];

    public static IReadOnlyList<WorkflowTransition> Transitions { get; } = Build();

    public static IEnumerable<WorkflowTransition> From(RequestState state, WorkflowAction action) =>
        Transitions.Where(t => t.From == state && t.Action == action);

    /// <summary>
    /// Actions that are a person's decision in every state: those that ask for a recent sign-in (approve, reject,
    /// decommission, ending a retirement early). Service accounts never take them, whatever the request's state.
    /// </summary>
    public static bool NeedsPerson(WorkflowAction action) => Transitions.Any(t => t.Action == action && t.NeedsRecentSignIn);

    private static List<WorkflowTransition> Build()
    {
        var t = new List<WorkflowTransition>
        {
            // Removing something (withdraw, reject, decommission) is recorded with the person's reason, so the trail
            // says why and not only who.
            new(RequestState.Draft, WorkflowAction.Submit, RequestState.Submitted, ActorRule.OwnerOrAdmin),
            new(RequestState.Draft, WorkflowAction.Withdraw, RequestState.Withdrawn, ActorRule.OwnerOrAdmin, NeedsReason: true),
            new(RequestState.Submitted, WorkflowAction.Withdraw, RequestState.Withdrawn, ActorRule.OwnerOrAdmin, TransitionCondition.NoLiveRevision, NeedsReason: true),
            new(RequestState.Submitted, WorkflowAction.StartTestingDeployment, RequestState.TestingDeploying, ActorRule.System),
            new(RequestState.TestingDeploying, WorkflowAction.CompleteTestingDeployment, RequestState.TestingReady, ActorRule.System),
            new(RequestState.TestingDeploying, WorkflowAction.FailTestingDeployment, RequestState.TestingFailed, ActorRule.System),
            new(RequestState.TestingReady, WorkflowAction.RequestApproval, RequestState.AwaitingApproval, ActorRule.OwnerOrAdmin),
            new(RequestState.AwaitingApproval, WorkflowAction.Promote, RequestState.Approved, ActorRule.IndependentApprover, NeedsRecentSignIn: true),
            new(RequestState.AwaitingApproval, WorkflowAction.Reject, RequestState.Rejected, ActorRule.IndependentApprover, NeedsRecentSignIn: true, NeedsReason: true),
            new(RequestState.Approved, WorkflowAction.StartProductionDeployment, RequestState.ProductionDeploying, ActorRule.System),
            new(RequestState.ProductionDeploying, WorkflowAction.CompleteProductionDeployment, RequestState.Live, ActorRule.System),
            new(RequestState.ProductionDeploying, WorkflowAction.FailProductionDeployment, RequestState.ProductionFailed, ActorRule.System),
            new(RequestState.TestingFailed, WorkflowAction.Retry, RequestState.Submitted, ActorRule.Admin),
            new(RequestState.ProductionFailed, WorkflowAction.Retry, RequestState.Approved, ActorRule.Admin),
            new(RequestState.DecommissionFailed, WorkflowAction.Retry, RequestState.Decommissioning, ActorRule.Admin),
            new(RequestState.Live, WorkflowAction.RequestDecommission, RequestState.DecommissionRequested, ActorRule.OwnerOrAdmin, NeedsRecentSignIn: true, NeedsReason: true),
            new(RequestState.DecommissionRequested, WorkflowAction.CancelDecommission, RequestState.Live, ActorRule.OwnerOrAdmin),
            new(RequestState.DecommissionRequested, WorkflowAction.ApproveDecommission, RequestState.Decommissioning, ActorRule.IndependentApprover, TransitionCondition.RemovesAtOnce, NeedsRecentSignIn: true, NeedsReason: true),
            new(RequestState.DecommissionRequested, WorkflowAction.ApproveDecommission, RequestState.RetirementDeploying, ActorRule.IndependentApprover, TransitionCondition.RetiresPolicyFirst, NeedsRecentSignIn: true, NeedsReason: true),
            new(RequestState.RetirementDeploying, WorkflowAction.CompleteRetirementDeployment, RequestState.Retiring, ActorRule.System),
            new(RequestState.RetirementDeploying, WorkflowAction.FailRetirementDeployment, RequestState.RetirementFailed, ActorRule.System),
            new(RequestState.RetirementFailed, WorkflowAction.Retry, RequestState.RetirementDeploying, ActorRule.Admin),
            new(RequestState.Retiring, WorkflowAction.EndRetirement, RequestState.Decommissioning, ActorRule.System, TransitionCondition.RetirementOver),

            // Senders that cached an earlier policy keep applying it until it expires; ending early is an admin's
            // decision, recorded with its reason, after a fresh sign-in.
            new(RequestState.Retiring, WorkflowAction.EndRetirementEarly, RequestState.Decommissioning, ActorRule.Admin, NeedsRecentSignIn: true, NeedsReason: true),
            new(RequestState.RetirementFailed, WorkflowAction.EndRetirementEarly, RequestState.Decommissioning, ActorRule.Admin, NeedsRecentSignIn: true, NeedsReason: true),
            new(RequestState.Decommissioning, WorkflowAction.CompleteDecommission, RequestState.Decommissioned, ActorRule.System),
            new(RequestState.Decommissioning, WorkflowAction.FailDecommission, RequestState.DecommissionFailed, ActorRule.System),
            new(RequestState.Live, WorkflowAction.Revise, RequestState.Submitted, ActorRule.OwnerOrAdmin),

            // An adopted name is served by what existed before the portal: its first revision made here is deployed
            // like any new request's, and withdrawing only stops the portal managing it (nothing of the portal's exists).
            new(RequestState.Adopted, WorkflowAction.Revise, RequestState.Submitted, ActorRule.OwnerOrAdmin),
            new(RequestState.Adopted, WorkflowAction.Withdraw, RequestState.Withdrawn, ActorRule.OwnerOrAdmin, NeedsReason: true),
            new(RequestState.ProductionFailed, WorkflowAction.Revise, RequestState.Submitted, ActorRule.OwnerOrAdmin),

            // Only where stacks rest deployed: a request on its way anywhere is rendered from the new templates anyway.
            new(RequestState.Live, WorkflowAction.UpgradeTemplates, RequestState.Submitted, ActorRule.System),
            new(RequestState.TestingReady, WorkflowAction.UpgradeTemplates, RequestState.Submitted, ActorRule.System),
        };

        foreach (var state in PendingRevisionStates)
        {
            t.Add(new(state, WorkflowAction.Revise, RequestState.Submitted, ActorRule.OwnerOrAdmin));
            t.Add(new(state, WorkflowAction.Withdraw, RequestState.Withdrawn, ActorRule.OwnerOrAdmin, TransitionCondition.NoLiveRevision, NeedsReason: true));
            t.Add(new(state, WorkflowAction.DiscardRevision, RequestState.Live, ActorRule.OwnerOrAdmin, TransitionCondition.HasLiveRevision));
        }

        return t;
    }
}
