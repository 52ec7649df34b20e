namespace Portal.Core.Workflow;

/// <summary>Who acts: a signed-in person with roles and the time they last authenticated, or the portal itself.</summary>
public sealed record Actor(string Id, string DisplayName, IReadOnlySet<PortalRole> Roles, DateTimeOffset? AuthenticatedAt)
{
    public const string SystemId = "system";

    public static Actor System { get; } = new(SystemId, "Portal", new HashSet<PortalRole>(), null);

    public bool IsSystem => Id == SystemId;

    public bool IsIn(PortalRole role) => !IsSystem && Roles.Contains(role);

    public static Actor Person(string id, string displayName, DateTimeOffset? authenticatedAt, params PortalRole[] roles) =>
        new(id, displayName, roles.ToHashSet(), authenticatedAt);
}
