namespace Portal.Core.Notifications;

/// <summary>What a notification tells a person. Stored by name: never rename a member.</summary>
public enum NotificationKind
{
    /// <summary>A request (or its decommission) waits for an approver: sent to approvers, never to the person who asked.</summary>
    ApprovalRequested,
    TestingReady,
    TestingFailed,
    Approved,
    Rejected,
    ProductionLive,
    ProductionFailed,
    Decommissioned,
    DriftDetected,
    HealthBad,
}

/// <summary>How a notification travels: to a person's email address, or to a team channel configured by an admin.</summary>
public enum NotificationChannel
{
    Email,
    Webhook,
}

/// <summary>The wording people see for each kind, on the preferences page and in messages.</summary>
public static class NotificationKinds
{
    public static IReadOnlyList<NotificationKind> All { get; } = Enum.GetValues<NotificationKind>();

    public static string Describe(NotificationKind kind) => kind switch
    {
        NotificationKind.ApprovalRequested => "A request waits for my approval",
        NotificationKind.TestingReady => "Testing is ready",
        NotificationKind.TestingFailed => "Testing failed",
        NotificationKind.Approved => "Approved for production",
        NotificationKind.Rejected => "Rejected",
        NotificationKind.ProductionLive => "Production is live",
        NotificationKind.ProductionFailed => "Production failed",
        NotificationKind.Decommissioned => "Decommissioned",
        NotificationKind.DriftDetected => "A stack drifted from its template",
        NotificationKind.HealthBad => "Health turned bad",
        _ => kind.ToString(),
    };
}
