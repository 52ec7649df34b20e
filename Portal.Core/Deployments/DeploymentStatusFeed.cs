namespace Portal.Core.Deployments;

/// <summary>A change worth showing: a request's deployment or one of its stacks moved.</summary>
public sealed record DeploymentChange(Guid? RequestId, string? StackName, string What)
{
    /// <summary>Heard from another replica (relayed through the database), not made here: not to be relayed again.</summary>
    public bool FromOtherReplica { get; init; }
}

/// <summary>
/// Tells open pages of this replica that something changed, so they reload what they show at once instead of
/// polling. With PostgreSQL the portal relays changes between replicas, so pages everywhere hear of them.
/// </summary>
public sealed class DeploymentStatusFeed
{
    public event EventHandler<DeploymentChange>? Changed;

    public void Publish(DeploymentChange change) => Changed?.Invoke(this, change);
}
