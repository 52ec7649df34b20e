using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Core.Deployments;

public enum RunAction
{
    /// <summary>Create or update the stacks of one environment of a request.</summary>
    Deploy,

    /// <summary>Delete every stack of a request (decommission).</summary>
    Delete,
}

public enum RunStatus
{
    Running,

    /// <summary>Stacks are done; the site's content is being copied to production and the distribution invalidated.</summary>
    CopyingContent,
    Succeeded,
    Failed,
}

/// <summary>Where one stack's deployment stands. Each step is saved before its AWS call, so a restart repeats the call with the same names and tokens.</summary>
public enum StackStep
{
    Pending,
    CreatingChangeSet,
    AwaitingChangeSet,
    Executing,
    Tracking,
    Deleting,
    Succeeded,
    NoChanges,
    Failed,
}

/// <summary>
/// One deployment of a request: the stacks of one environment of one revision (or their deletion), and for a
/// site's production the copy of its content. A request has at most one active run.
/// </summary>
public sealed class DeploymentRun
{
    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public int Revision { get; set; }

    /// <summary>The request's version when the run began: ties the run to this attempt, not an earlier failed one.</summary>
    public int RequestVersion { get; set; }

    public DeploymentEnvironment? Environment { get; set; }

    public RunAction Action { get; set; }

    public RunStatus Status { get; set; }

    public string? FailureMessage { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Copying content to production (production of a site): prefixes, counts and the invalidation.</summary>
    public string? ContentBucket { get; set; }

    public string? SourcePrefix { get; set; }

    public string? TargetPrefix { get; set; }

    /// <summary>The content version copied: the one the approver promoted, copied by its S3 version ids.</summary>
    public Guid? ContentVersionId { get; set; }

    public int? ContentVersionNumber { get; set; }

    /// <summary>Files in the copied content version.</summary>
    public int? ObjectsListed { get; set; }

    public int? ObjectsCopied { get; set; }

    public long? BytesCopied { get; set; }

    /// <summary>Objects under the production prefix that were not in the version, removed.</summary>
    public int? ObjectsRemoved { get; set; }

    public string? DistributionId { get; set; }

    public string? InvalidationId { get; set; }

    public string? InvalidationStatus { get; set; }

    public DateTimeOffset NextCheckAt { get; set; }

    public List<StackOperation> Stacks { get; set; } = [];

    public bool IsActive => Status is RunStatus.Running or RunStatus.CopyingContent;
}

/// <summary>One stack within a run: what to deploy (kept whole, so the work survives a restart) and how far it got.</summary>
public sealed class StackOperation
{
    public Guid Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>Order within the run: the shared stack first, then the request's stacks as rendered.</summary>
    public int Sequence { get; set; }

    public string StackName { get; set; } = "";

    public string Region { get; set; } = "";

    /// <summary>The registered account the stack lives in (its credentials sign every call about it); null is the default account.</summary>
    public string? Account { get; set; }

    public StackKind Kind { get; set; }

    public RunAction Action { get; set; }

    public string TemplateBody { get; set; } = "";

    /// <summary>The template release the stack was rendered from (null for operations from before releases were recorded, and deletions).</summary>
    public string? TemplateRelease { get; set; }

    /// <summary><c>[{"ParameterKey":..,"ParameterValue":..}]</c>, as <c>aws cloudformation</c> reads parameters.</summary>
    public string ParametersJson { get; set; } = "[]";

    public string TagsJson { get; set; } = "[]";

    public StackStep Step { get; set; }

    public string? ChangeSetType { get; set; }

    public string? ChangeSetName { get; set; }

    public string? ChangeSetId { get; set; }

    /// <summary>One token per attempt: a retried or repeated call with it is recognised by CloudFormation as the same.</summary>
    public string? ClientRequestToken { get; set; }

    public string? StackId { get; set; }

    public string? StackStatus { get; set; }

    public int? ChangeCount { get; set; }

    public string? FailureMessage { get; set; }

    public int Attempt { get; set; }

    public DateTimeOffset NextCheckAt { get; set; }

    public double PollSeconds { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public bool IsDone => Step is StackStep.Succeeded or StackStep.NoChanges or StackStep.Failed;
}

/// <summary>What the portal knows of a stack it manages: status, outputs and drift, refreshed closely while it moves and rarely when it rests.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A CloudFormation stack.")]
public sealed class TrackedStack
{
    public Guid Id { get; set; }

    public string StackName { get; set; } = "";

    public string Region { get; set; } = "";

    /// <summary>The registered account the stack lives in (its credentials sign every call about it); null is the default account.</summary>
    public string? Account { get; set; }

    public string? StackId { get; set; }

    public StackKind Kind { get; set; }

    public Guid? RequestId { get; set; }

    public DeploymentEnvironment? Environment { get; set; }

    public string? Status { get; set; }

    public string? StatusReason { get; set; }

    public DateTimeOffset? LastUpdatedTime { get; set; }

    /// <summary><c>{"OutputKey":"value",...}</c> of the last describe.</summary>
    public string OutputsJson { get; set; } = "{}";

    /// <summary>SHA-256 of the template last deployed by the portal: the shared stack is redeployed only when it changes.</summary>
    public string? TemplateSha256 { get; set; }

    /// <summary>
    /// The template release of the portal's last successful deployment of this stack: behind the current release, it is
    /// listed for an upgrade. Null for stacks deployed before releases were recorded (treated as behind).
    /// </summary>
    public string? TemplateRelease { get; set; }

    /// <summary>Current wait between checks while the stack changes outside a portal deployment.</summary>
    public double PollSeconds { get; set; }

    public DateTimeOffset? LastCheckedAt { get; set; }

    public DateTimeOffset NextCheckAt { get; set; }

    public string? DriftStatus { get; set; }

    public DateTimeOffset? DriftCheckedAt { get; set; }

    public DateTimeOffset NextDriftCheckAt { get; set; }

    public string? DriftDetectionId { get; set; }

    /// <summary>Logical ids of drifted resources with their status, e.g. <c>["Distribution: MODIFIED"]</c>.</summary>
    public string DriftedResourcesJson { get; set; } = "[]";

    /// <summary>Gone from AWS (deleted by the portal or by someone else).</summary>
    public bool Deleted { get; set; }
}

/// <summary>A CloudFormation stack event, stored once (by its event id) and never changed.</summary>
public sealed class StoredStackEvent
{
    public string EventId { get; set; } = "";

    public string StackName { get; set; } = "";

    public string Region { get; set; } = "";

    public string StackId { get; set; } = "";

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }

    public string? ResourceType { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public string? ResourceStatus { get; set; }

    public string? ResourceStatusReason { get; set; }

    public string? ClientRequestToken { get; set; }
}

/// <summary>A named lease in the database: the replica holding it does that work until the lease runs out, so each job runs once across replicas.</summary>
public sealed class WorkLease
{
    public string Name { get; set; } = "";

    public string Owner { get; set; } = "";

    public DateTimeOffset Until { get; set; }
}
