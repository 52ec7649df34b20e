namespace Portal.Core.Workflow;

/// <summary>Where a request stands (DESIGN.md section 5).</summary>
public enum RequestState
{
    Draft,
    Submitted,
    TestingDeploying,
    TestingReady,
    TestingFailed,
    AwaitingApproval,
    Approved,
    ProductionDeploying,
    Live,
    ProductionFailed,
    Rejected,
    Withdrawn,
    DecommissionRequested,

    /// <summary>An MTA-STS policy being retired: the engine deploys the <c>mode: none</c> revision (RFC 8461 section 8.3, steps 1 and 2).</summary>
    RetirementDeploying,

    /// <summary>The <c>mode: none</c> policy is served until every policy served before it has expired from senders' caches.</summary>
    Retiring,

    /// <summary>The <c>mode: none</c> revision could not be deployed; the earlier policy may still be served.</summary>
    RetirementFailed,
    Decommissioning,
    Decommissioned,
    DecommissionFailed,

    /// <summary>
    /// Recorded by an admin from what the name already publishes outside the portal (no stack of the portal's serves it):
    /// watched by the health checks; its next revision goes through the normal workflow and the portal's stacks take over.
    /// </summary>
    Adopted,
}

/// <summary>Everything that can happen to a request. Actions done by the portal itself are taken by <see cref="Actor.System"/>.</summary>
public enum WorkflowAction
{
    Submit,
    Withdraw,
    Revise,
    DiscardRevision,
    StartTestingDeployment,
    CompleteTestingDeployment,
    FailTestingDeployment,
    RequestApproval,
    Promote,
    Reject,
    StartProductionDeployment,
    CompleteProductionDeployment,
    FailProductionDeployment,
    Retry,
    RequestDecommission,
    CancelDecommission,
    ApproveDecommission,

    /// <summary>The <c>mode: none</c> policy of a retirement is served (the portal).</summary>
    CompleteRetirementDeployment,
    FailRetirementDeployment,

    /// <summary>Every earlier policy has expired from senders' caches: the stacks and records go (the portal).</summary>
    EndRetirement,

    /// <summary>An admin removes a retiring policy before earlier policies have expired.</summary>
    EndRetirementEarly,
    CompleteDecommission,
    FailDecommission,

    /// <summary>The portal's templates changed since the request's stacks were deployed: a new revision with the same spec redeploys them.</summary>
    UpgradeTemplates,
}

public enum PortalRole
{
    Requester,
    Approver,
    Admin,
}

/// <summary>Why a transition was refused; the UI picks wording and remedies (step-up sign-in) from it.</summary>
public enum RefusalCode
{
    NotAllowedInState,
    RoleRequired,
    NotOwner,
    SeparationOfDuties,
    StepUpRequired,
    ReasonRequired,
    ConditionNotMet,
    Invalid,
    NotFound,
    Conflict,

    /// <summary>A reason was given but breaks the free-text rule (too long, or characters that are not text).</summary>
    ReasonInvalid,

    /// <summary>The action is a person's decision (approve, reject, decommission): a service account may never take it.</summary>
    PersonRequired,
}
