namespace Portal.Core.Health;

/// <summary>A watched name changed: a check finished and its result is stored, or the name was added.</summary>
public sealed record HealthChange(Guid TargetId, string Name, HealthCheckKind Kind, DateTimeOffset? CheckedAt)
{
    /// <summary>Heard from the database (a check stored by another replica), not made in this process.</summary>
    public bool FromOtherReplica { get; init; }
}

/// <summary>
/// Tells the open health pages of this process that a name changed, so they show a finished check at once instead of
/// waiting for a reload. Checks stored by other replicas reach it through the database (see the portal's poller).
/// </summary>
public sealed class HealthStatusFeed
{
    public event EventHandler<HealthChange>? Changed;

    public void Publish(HealthChange change) => Changed?.Invoke(this, change);
}
