using Portal.Core.Requests;
using Portal.Core.Workflow;

namespace Portal.Core.Notifications;

/// <summary>Which audit events are worth a notification, and of what kind.</summary>
public static class NotificationEvents
{
    /// <summary>The audit action recorded when a stack of a request turns from in sync (or not checked) to drifted.</summary>
    public const string DriftDetectedAction = "DriftDetected";

    public static NotificationKind? KindOf(AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return KindOf(e.Action, e.FromState, e.ToState);
    }

    /// <summary>
    /// By the action's name first (events that do not move the state, such as drift found), then by the state the
    /// request reached. A state reached again (a retry that fails again) notifies again: it is news each time.
    /// </summary>
    public static NotificationKind? KindOf(string action, RequestState? from, RequestState to)
    {
        if (string.Equals(action, DriftDetectedAction, StringComparison.Ordinal))
        {
            return NotificationKind.DriftDetected;
        }

        if (from == to)
        {
            return null;
        }

        return to switch
        {
            RequestState.AwaitingApproval or RequestState.DecommissionRequested => NotificationKind.ApprovalRequested,
            RequestState.TestingReady => NotificationKind.TestingReady,
            RequestState.TestingFailed => NotificationKind.TestingFailed,
            RequestState.Approved => NotificationKind.Approved,
            RequestState.Rejected => NotificationKind.Rejected,
            RequestState.Live when from is RequestState.ProductionDeploying => NotificationKind.ProductionLive,
            RequestState.ProductionFailed => NotificationKind.ProductionFailed,
            RequestState.Decommissioned => NotificationKind.Decommissioned,
            _ => null,
        };
    }
}
