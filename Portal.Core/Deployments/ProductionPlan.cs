using System.Text.Json;
using Portal.Core.Templates;

namespace Portal.Core.Deployments;

/// <summary>Where a production plan stands. Only a Ready plan can be approved; only an Approved one is executed, once.</summary>
public enum PlanStatus
{
    /// <summary>Its change sets are being created and described.</summary>
    Creating,

    /// <summary>Every change set is described: the approver can review and approve it.</summary>
    Ready,

    /// <summary>CloudFormation refused a change set; the reason is in <see cref="ProductionPlan.FailureMessage"/>.</summary>
    Failed,

    /// <summary>Something it was made from changed before promotion; a new plan replaces it.</summary>
    Stale,

    /// <summary>Promoted: the production deployment executes exactly its change sets.</summary>
    Approved,

    /// <summary>Handed to a production run (<see cref="ProductionPlan.RunId"/>).</summary>
    Executed,
}

/// <summary>What a planned stack's change set came to.</summary>
public enum PlannedStackStatus
{
    Creating,
    Ready,

    /// <summary>The template and parameters match the live stack: nothing to execute.</summary>
    NoChanges,

    /// <summary>The stack's first creation failed; CloudFormation needs it deleted before a change set can create it again, so it is deployed anew.</summary>
    Recreate,
    Failed,
}

/// <summary>One change a planned change set makes to a resource, as DescribeChangeSet reports it.</summary>
public sealed record PlannedChange(
    string Action, string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string? Replacement,
    IReadOnlyList<string> Scope, IReadOnlyList<PlannedChangeDetail> Details)
{
    /// <summary>The properties (or other attributes) that cause this change, with "(replacement)" where one requires recreating the resource.</summary>
    public IReadOnlyList<string> Causes => [.. Details.Select(d => (d.Name ?? d.Attribute ?? "?") + (d.RequiresRecreation is "Always" or "Conditionally" ? $" (recreation: {d.RequiresRecreation.ToLowerInvariant()})" : "")).Distinct(StringComparer.Ordinal)];
}

/// <summary>A ResourceChangeDetail: its target attribute and name, whether it requires recreation, its evaluation and source.</summary>
public sealed record PlannedChangeDetail(string? Attribute, string? Name, string? RequiresRecreation, string? Evaluation, string? ChangeSource, string? CausingEntity);

/// <summary>One production stack in a plan: the change set made for it (not executed) and what it would change.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A CloudFormation stack.")]
public sealed record PlannedStack(
    string StackName, string Region, StackKind Kind, string ChangeSetName, string ChangeSetType, PlannedStackStatus Status)
{
    public string? ChangeSetId { get; init; }

    public string? StackId { get; init; }

    public string? StatusReason { get; init; }

    public IReadOnlyList<PlannedChange> Changes { get; init; } = [];
}

/// <summary>
/// What a plan was made from. A plan is stale as soon as any of it differs from the request's current basis: the
/// testing revision, the content version testing holds, the rendered production templates and parameters (a new
/// template release changes them), or the production stacks themselves (updated, or found drifted).
/// </summary>
public sealed record PlanBasis(int Revision, Guid? ContentVersionId, int? ContentVersionNumber, string TemplateFingerprint, string StacksFingerprint)
{
    /// <summary>Why a plan made from this basis no longer fits <paramref name="current"/>, in words for the approver; null while it fits.</summary>
    public string? StaleReason(PlanBasis current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Revision != Revision)
        {
            return $"the request changed to revision {current.Revision}";
        }

        if (current.ContentVersionId != ContentVersionId)
        {
            return current.ContentVersionNumber is { } n ? $"testing's content changed to version {n}" : "testing's content changed";
        }

        if (!string.Equals(current.TemplateFingerprint, TemplateFingerprint, StringComparison.Ordinal))
        {
            return "the production templates or parameters changed (a new template release)";
        }

        return string.Equals(current.StacksFingerprint, StacksFingerprint, StringComparison.Ordinal)
            ? null
            : "a production stack changed or drifted since the plan was made";
    }
}

/// <summary>
/// The production change sets created, not executed, when a request waits for approval: what the approver reviews,
/// and exactly what Promote executes. Its stacks are kept as JSON (they are read and written whole).
/// </summary>
public sealed class ProductionPlan
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public Guid Id { get; set; }

    public Guid RequestId { get; set; }

    public int Revision { get; set; }

    public Guid? ContentVersionId { get; set; }

    public int? ContentVersionNumber { get; set; }

    /// <summary>SHA-256 of the rendered production stacks (names, templates, parameters, tags).</summary>
    public string TemplateFingerprint { get; set; } = "";

    /// <summary>SHA-256 of the production stacks' status, last update and drift when the plan was made.</summary>
    public string StacksFingerprint { get; set; } = "";

    public PlanStatus Status { get; set; }

    /// <summary>Why the plan went stale, for the approver ("the plan changed, review again").</summary>
    public string? StaleReason { get; set; }

    public string? FailureMessage { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadyAt { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public string? ApprovedBy { get; set; }

    /// <summary>The production run that executes this plan.</summary>
    public Guid? RunId { get; set; }

    public string StacksJson { get; set; } = "[]";

    /// <summary>Optimistic concurrency: approving and marking stale cannot both win.</summary>
    public int Version { get; set; }

    public PlanBasis Basis => new(Revision, ContentVersionId, ContentVersionNumber, TemplateFingerprint, StacksFingerprint);

    public IReadOnlyList<PlannedStack> Stacks
    {
        get => JsonSerializer.Deserialize<List<PlannedStack>>(StacksJson, Json) ?? [];
        set => StacksJson = JsonSerializer.Serialize(value, Json);
    }

    /// <summary>The change set ids of the plan, as recorded in the audit trail ("none" when no stack changes).</summary>
    public string ChangeSetIds
    {
        get
        {
            var ids = Stacks.Where(s => s.Status == PlannedStackStatus.Ready && s.ChangeSetId is not null).Select(s => s.ChangeSetId!).ToList();
            return ids.Count == 0 ? "none" : string.Join(", ", ids);
        }
    }

    /// <summary>Whether the plan is current (not replaced, not yet executed).</summary>
    public bool IsOpen => Status is PlanStatus.Creating or PlanStatus.Ready or PlanStatus.Failed;
}

/// <summary>
/// A stack other requests share (the account's shared stack, or the security-headers stack of a header set) that
/// promoting a request deploys first, because the portal has not deployed its current template yet.
/// </summary>
public sealed record SharedStackUpdate(string StackName, string Region, StackKind Kind)
{
    /// <summary>Why it is updated and why the plan holds no change set for it, as the plan panel and the API say it.</summary>
    public string Reason => (Kind == StackKind.Headers
            ? "the security-headers stack every site with these headers uses"
            : "the shared stack every request in this account uses")
        + ": Promote deploys its new template before this request's stacks. It is not planned here because other requests"
        + " use it too: whichever promotion comes first deploys it, so a change set made for this approval could be stale"
        + " before it runs.";
}
