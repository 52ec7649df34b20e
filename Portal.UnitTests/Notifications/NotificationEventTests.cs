using Portal.Core.Notifications;
using Portal.Core.Workflow;

namespace Portal.Tests.Notifications;

/// <summary>Which audit events become which notifications.</summary>
public sealed class NotificationEventTests
{
    [Theory]
    [InlineData("RequestApproval", RequestState.TestingReady, RequestState.AwaitingApproval, NotificationKind.ApprovalRequested)]
    [InlineData("RequestDecommission", RequestState.Live, RequestState.DecommissionRequested, NotificationKind.ApprovalRequested)]
    [InlineData("CompleteTestingDeployment", RequestState.TestingDeploying, RequestState.TestingReady, NotificationKind.TestingReady)]
    [InlineData("FailTestingDeployment", RequestState.TestingDeploying, RequestState.TestingFailed, NotificationKind.TestingFailed)]
    [InlineData("Promote", RequestState.AwaitingApproval, RequestState.Approved, NotificationKind.Approved)]
    [InlineData("Reject", RequestState.AwaitingApproval, RequestState.Rejected, NotificationKind.Rejected)]
    [InlineData("CompleteProductionDeployment", RequestState.ProductionDeploying, RequestState.Live, NotificationKind.ProductionLive)]
    [InlineData("FailProductionDeployment", RequestState.ProductionDeploying, RequestState.ProductionFailed, NotificationKind.ProductionFailed)]
    [InlineData("CompleteDecommission", RequestState.Decommissioning, RequestState.Decommissioned, NotificationKind.Decommissioned)]
    public void A_state_reached_maps_to_its_kind(string action, RequestState from, RequestState to, NotificationKind expected) =>
        Assert.Equal(expected, NotificationEvents.KindOf(action, from, to));

    [Theory]
    [InlineData("Submit", RequestState.Draft, RequestState.Submitted)]
    [InlineData("StartTestingDeployment", RequestState.Submitted, RequestState.TestingDeploying)]
    [InlineData("CancelDecommission", RequestState.DecommissionRequested, RequestState.Live)]
    [InlineData("RecordContentVersion", RequestState.TestingReady, RequestState.TestingReady)]
    public void Steps_nobody_waits_for_notify_nobody(string action, RequestState from, RequestState to) =>
        Assert.Null(NotificationEvents.KindOf(action, from, to));

    [Fact]
    public void A_drift_found_event_is_mapped_by_its_action_whatever_the_state()
    {
        // Drift does not move the request: the event's states are equal, and the action names it.
        Assert.Equal(NotificationKind.DriftDetected, NotificationEvents.KindOf("DriftDetected", RequestState.Live, RequestState.Live));
        Assert.Equal(NotificationKind.DriftDetected, NotificationEvents.KindOf("DriftDetected", null, RequestState.TestingReady));
    }
}
