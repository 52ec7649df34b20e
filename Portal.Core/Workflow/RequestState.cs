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
    Decommissioning,
    Decommissioned,
    DecommissionFailed,
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
}
