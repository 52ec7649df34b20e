namespace Portal.Core.Workflow;

/// <summary>
/// Who acts: a signed-in person with roles and the time they last authenticated, the portal itself, or a service
/// account (a pipeline's OAuth client: Requester at most, never a person, so never an approver).
/// </summary>
public sealed record Actor(string Id, string DisplayName, IReadOnlySet<PortalRole> Roles, DateTimeOffset? AuthenticatedAt, bool IsServiceAccount = false)
{
    public const string SystemId = "system";

    public static Actor System { get; } = new(SystemId, "Portal", new HashSet<PortalRole>(), null);

    public bool IsSystem => Id == SystemId;

    public bool IsIn(PortalRole role) => !IsSystem && Roles.Contains(role);

    public static Actor Person(string id, string displayName, DateTimeOffset? authenticatedAt, params PortalRole[] roles) =>
        new(id, displayName, roles.ToHashSet(), authenticatedAt);

    /// <summary>A pipeline's client: only the Requester role, whatever else a token claims, and no sign-in time.</summary>
    public static Actor ServiceAccount(string id, string displayName) =>
        new(id, displayName, new HashSet<PortalRole> { PortalRole.Requester }, null, IsServiceAccount: true);
}
