using Portal.Core.Workflow;

namespace Portal.Tests.Infrastructure;

/// <summary>People used across workflow tests, all signed in at <see cref="SignedInAt"/>.</summary>
public static class TestActors
{
    public static readonly DateTimeOffset SignedInAt = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    public static Actor Alice { get; } = Actor.Person("alice", "Alice Requester", SignedInAt, PortalRole.Requester);

    public static Actor Rita { get; } = Actor.Person("rita", "Rita Requester", SignedInAt, PortalRole.Requester);

    public static Actor Bob { get; } = Actor.Person("bob", "Bob Approver", SignedInAt, PortalRole.Approver);

    public static Actor Carol { get; } = Actor.Person("carol", "Carol Approver", SignedInAt, PortalRole.Approver);

    public static Actor Dana { get; } = Actor.Person("dana", "Dana Admin", SignedInAt, PortalRole.Admin, PortalRole.Approver, PortalRole.Requester);
}
