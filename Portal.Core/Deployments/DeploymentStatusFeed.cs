namespace Portal.Core.Deployments;

/// <summary>A change worth showing: a request's deployment or one of its stacks moved.</summary>
public sealed record DeploymentChange(Guid? RequestId, string? StackName, string What);

/// <summary>
/// Tells open pages of this replica that something changed, so they reload what they show at once instead of
/// polling. Pages on other replicas see the same rows in the database on their next load.
/// </summary>
public sealed class DeploymentStatusFeed
{
    public event EventHandler<DeploymentChange>? Changed;

    public void Publish(DeploymentChange change) => Changed?.Invoke(this, change);
}
