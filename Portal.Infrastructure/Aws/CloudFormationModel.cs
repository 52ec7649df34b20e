namespace Portal.Infrastructure.Aws.CloudFormation;

// Requests and responses of the CloudFormation operations the portal uses, named and shaped as in the AWS SDK
// (and the service's API model), so that moving to the SDK's client changes only the client class.

public sealed record Parameter(string ParameterKey, string ParameterValue);

public sealed record Tag(string Key, string Value);

public sealed record Output(string OutputKey, string OutputValue);

public sealed record CreateChangeSetRequest
{
    public required string StackName { get; init; }

    public required string ChangeSetName { get; init; }

    /// <summary><see cref="ChangeSetType"/>: CREATE for a new stack, UPDATE for an existing one.</summary>
    public required string ChangeSetType { get; init; }

    public string? TemplateBody { get; init; }

    public IReadOnlyList<Parameter> Parameters { get; init; } = [];

    public IReadOnlyList<Tag> Tags { get; init; } = [];

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>The service role CloudFormation acts with for this stack (<c>RoleARN</c>); null uses the caller's credentials.</summary>
    public string? RoleArn { get; init; }

    public string? Description { get; init; }

    /// <summary>Makes a repeated create of the same change set recognisable as the same request.</summary>
    public string? ClientToken { get; init; }
}

public sealed record CreateChangeSetResponse(string Id, string StackId);

public sealed record DescribeChangeSetRequest
{
    public required string ChangeSetName { get; init; }

    public string? StackName { get; init; }

    public string? NextToken { get; init; }
}

public sealed record ResourceChange(string Action, string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string? Replacement)
{
    /// <summary>For a Modify: the attributes causing it (Properties, Metadata, CreationPolicy, UpdatePolicy, DeletionPolicy, UpdateReplacePolicy, Tags).</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];

    public IReadOnlyList<ResourceChangeDetail> Details { get; init; } = [];
}

/// <summary>One change CloudFormation will make to a resource: its target (<c>Target.Attribute</c>, <c>Target.Name</c>, <c>Target.RequiresRecreation</c>), how it is evaluated and what causes it.</summary>
public sealed record ResourceChangeDetail(string? Attribute, string? Name, string? RequiresRecreation, string? Evaluation, string? ChangeSource, string? CausingEntity);

public sealed record DescribeChangeSetResponse
{
    public required string ChangeSetName { get; init; }

    public required string ChangeSetId { get; init; }

    public required string StackId { get; init; }

    public required string StackName { get; init; }

    public required string Status { get; init; }

    public string? StatusReason { get; init; }

    public required string ExecutionStatus { get; init; }

    public IReadOnlyList<ResourceChange> Changes { get; init; } = [];

    public string? NextToken { get; init; }
}

public sealed record ExecuteChangeSetRequest
{
    public required string ChangeSetName { get; init; }

    public string? StackName { get; init; }

    /// <summary>One token per execution attempt: a retried call with the same token is the same execution.</summary>
    public string? ClientRequestToken { get; init; }
}

public sealed record DeleteChangeSetRequest
{
    public required string ChangeSetName { get; init; }

    public string? StackName { get; init; }
}

public sealed record DescribeStacksRequest
{
    /// <summary>A name or stack id; null lists every stack of the region, a page at a time.</summary>
    public string? StackName { get; init; }

    public string? NextToken { get; init; }
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A CloudFormation stack, named as in the AWS SDK.")]
public sealed record Stack
{
    public required string StackId { get; init; }

    public required string StackName { get; init; }

    public required string StackStatus { get; init; }

    public string? StackStatusReason { get; init; }

    public DateTimeOffset CreationTime { get; init; }

    public DateTimeOffset? LastUpdatedTime { get; init; }

    public IReadOnlyList<Output> Outputs { get; init; } = [];

    public IReadOnlyList<Tag> Tags { get; init; } = [];

    /// <summary>DRIFTED, IN_SYNC, UNKNOWN or NOT_CHECKED.</summary>
    public string? StackDriftStatus { get; init; }
}

public sealed record DescribeStacksResponse(IReadOnlyList<Stack> Stacks, string? NextToken);

public sealed record DescribeStackEventsRequest
{
    public required string StackName { get; init; }

    public string? NextToken { get; init; }
}

public sealed record StackEvent
{
    public required string StackId { get; init; }

    public required string EventId { get; init; }

    public required string StackName { get; init; }

    public string? LogicalResourceId { get; init; }

    public string? PhysicalResourceId { get; init; }

    public string? ResourceType { get; init; }

    public DateTimeOffset Timestamp { get; init; }

    public string? ResourceStatus { get; init; }

    public string? ResourceStatusReason { get; init; }

    public string? ClientRequestToken { get; init; }
}

/// <summary>Events newest first, as CloudFormation returns them.</summary>
public sealed record DescribeStackEventsResponse(IReadOnlyList<StackEvent> StackEvents, string? NextToken);

public sealed record DeleteStackRequest
{
    public required string StackName { get; init; }

    public string? ClientRequestToken { get; init; }
}

public sealed record DetectStackDriftRequest
{
    public required string StackName { get; init; }
}

public sealed record DetectStackDriftResponse(string StackDriftDetectionId);

public sealed record DescribeStackDriftDetectionStatusRequest
{
    public required string StackDriftDetectionId { get; init; }
}

public sealed record DescribeStackDriftDetectionStatusResponse
{
    public required string StackId { get; init; }

    public required string StackDriftDetectionId { get; init; }

    public string? StackDriftStatus { get; init; }

    /// <summary>DETECTION_IN_PROGRESS, DETECTION_FAILED or DETECTION_COMPLETE.</summary>
    public required string DetectionStatus { get; init; }

    public string? DetectionStatusReason { get; init; }

    public int? DriftedStackResourceCount { get; init; }

    public DateTimeOffset Timestamp { get; init; }
}

public sealed record DescribeStackResourceDriftsRequest
{
    public required string StackName { get; init; }

    /// <summary>IN_SYNC, MODIFIED, DELETED, NOT_CHECKED, UNKNOWN, UNSUPPORTED; empty means all.</summary>
    public IReadOnlyList<string> StackResourceDriftStatusFilters { get; init; } = [];

    public string? NextToken { get; init; }
}

public sealed record PropertyDifference(string PropertyPath, string? ExpectedValue, string? ActualValue, string DifferenceType);

public sealed record StackResourceDrift
{
    public required string StackId { get; init; }

    public required string LogicalResourceId { get; init; }

    public string? PhysicalResourceId { get; init; }

    public required string ResourceType { get; init; }

    public required string StackResourceDriftStatus { get; init; }

    public IReadOnlyList<PropertyDifference> PropertyDifferences { get; init; } = [];

    public DateTimeOffset Timestamp { get; init; }
}

public sealed record DescribeStackResourceDriftsResponse(IReadOnlyList<StackResourceDrift> StackResourceDrifts, string? NextToken);

/// <summary>The CloudFormation values the portal reasons about.</summary>
public static class ChangeSetType
{
    public const string Create = "CREATE";
    public const string Update = "UPDATE";
}

public static class ChangeSetStatus
{
    public const string CreatePending = "CREATE_PENDING";
    public const string CreateInProgress = "CREATE_IN_PROGRESS";
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string Failed = "FAILED";
}

public static class StackStatus
{
    public const string ReviewInProgress = "REVIEW_IN_PROGRESS";
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string UpdateComplete = "UPDATE_COMPLETE";
    public const string RollbackComplete = "ROLLBACK_COMPLETE";
    public const string DeleteComplete = "DELETE_COMPLETE";

    /// <summary>Anything still moving: CloudFormation will change it without being asked.</summary>
    public static bool IsInProgress(string? status) => status is not null && status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && status != ReviewInProgress;

    /// <summary>The stack ended where its last operation wanted it.</summary>
    public static bool IsSuccess(string? status) => status is CreateComplete or UpdateComplete or "IMPORT_COMPLETE" or DeleteComplete;

    /// <summary>The last operation did not do what was asked: it failed or was rolled back.</summary>
    public static bool IsFailure(string? status) => status is not null && !IsInProgress(status) &&
        (status.EndsWith("_FAILED", StringComparison.Ordinal) || status.Contains("ROLLBACK", StringComparison.Ordinal));
}

public static class ResourceStatus
{
    public static bool IsFailed(string? status) => status is not null && status.EndsWith("_FAILED", StringComparison.Ordinal);
}
