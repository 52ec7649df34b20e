namespace Portal.Core.Workflow;

/// <summary>
/// Who acts: a signed-in person with roles and the time they last authenticated, the portal itself, or a service
/// account (a pipeline's OAuth client: Requester at most, never a person, so never an approver).
/// </summary>
public sealed record Actor(string Id, string DisplayName, IReadOnlySet<PortalRole> Roles, DateTimeOffset? AuthenticatedAt, bool IsServiceAccount = false)
{
    public const string SystemId = "system";

    // Declared before System: static fields initialise in order, and System's Teams default reads this one.
    private static readonly IReadOnlySet<string> NoTeams = new HashSet<string>(StringComparer.Ordinal);

    public static Actor System { get; } = new(SystemId, "Portal", new HashSet<PortalRole>(), null);

    public bool IsSystem => Id == SystemId;

    /// <summary>The teams the person belongs to (from the provider's group claim or the portal's own list), by team id.</summary>
    public IReadOnlySet<string> Teams { get; init; } = NoTeams;

    /// <summary>Teams whose requests this person may approve without the global Approver role.</summary>
    public IReadOnlySet<string> ApproverTeams { get; init; } = NoTeams;

    /// <summary>Whether the person is a member of <paramref name="team"/>; a request in no team has no members.</summary>
    public bool IsMemberOf(string? team) => team is not null && !IsSystem && Teams.Contains(team);

    /// <summary>Whether the person approves for <paramref name="team"/> as a per-team approver.</summary>
    public bool ApprovesFor(string? team) => team is not null && !IsSystem && !IsServiceAccount && ApproverTeams.Contains(team);

    public bool IsIn(PortalRole role) => !IsSystem && Roles.Contains(role);

    public static Actor Person(string id, string displayName, DateTimeOffset? authenticatedAt, params PortalRole[] roles) =>
        new(id, displayName, roles.ToHashSet(), authenticatedAt);

    /// <summary>A pipeline's client: only the Requester role, whatever else a token claims, and no sign-in time.</summary>
    public static Actor ServiceAccount(string id, string displayName) =>
        new(id, displayName, new HashSet<PortalRole> { PortalRole.Requester }, null, IsServiceAccount: true);
}
