using System.Text.Json.Nodes;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.CloudFormation;

/// <summary>
/// What the engine tells a provider about the resource it is working on: where, for which stack, and the rest of
/// the local cloud (live resources, hosted zones) that AWS's rules are judged against.
/// </summary>
public sealed record ProvisionContext(
    string Region,
    string AccountId,
    string StackId,
    string StackName,
    string LogicalId,
    ResourceIndex Resources,
    Route53.Route53Service Route53,
    TimeProvider Clock);

/// <summary>
/// A provider's answer. Success: the physical id (what <c>Ref</c> returns) and the attributes <c>Fn::GetAtt</c> reads.
/// Failure: the <c>ResourceStatusReason</c> CloudFormation would show, in AWS's words (with the service's error code
/// and request id shape where AWS puts them there), and the engine rolls back. <see cref="WaitingFor"/> set means the
/// resource exists but is not yet complete (a certificate waiting for its DNS validation record): the engine asks
/// <see cref="IResourceProvider.Poll"/> again later and shows the text as the IN_PROGRESS event's reason.
/// </summary>
public sealed record ProvisionResult(string? PhysicalId, IReadOnlyDictionary<string, string> Attributes, string? Failure, string? WaitingFor = null)
{
    public static ProvisionResult Created(string physicalId, IReadOnlyDictionary<string, string>? attributes = null) =>
        new(physicalId, attributes ?? new Dictionary<string, string>(), null);

    public static ProvisionResult Failed(string reason) => new(null, new Dictionary<string, string>(), reason);

    public bool Succeeded => Failure is null;
}

/// <summary>
/// One CloudFormation resource type as the local cloud provisions it: AWS's rules for that type (quotas, conflicts,
/// regions, validation) are enforced here, each citing AWS's documentation in <c>RULES.md</c>. The engine has already
/// resolved every intrinsic function and validated the properties against the type's registry schema.
/// </summary>
public interface IResourceProvider
{
    /// <summary>The CloudFormation type, e.g. <c>AWS::CloudFront::Distribution</c>.</summary>
    string Type { get; }

    ProvisionResult Create(ProvisionContext context, JsonObject properties);

    /// <summary>An update in place (the engine replaces the resource instead when a create-only property changed).</summary>
    ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties);

    /// <summary>Null when deleted; otherwise the DELETE_FAILED reason (a bucket that is not empty).</summary>
    string? Delete(ProvisionContext context, LiveResource current);

    /// <summary>Asked again while a result had <see cref="ProvisionResult.WaitingFor"/>; same meaning as the first answer.</summary>
    ProvisionResult Poll(ProvisionContext context, LiveResource current) => ProvisionResult.Created(current.PhysicalId, current.Attributes);

    /// <summary>
    /// The resource's configuration as its service holds it now, for drift detection to compare with the template's
    /// properties; null when the resource no longer exists. By default the live resource the local cloud serves from
    /// (a distribution's or function's current configuration), which a change outside CloudFormation rewrites.
    /// </summary>
    JsonObject? Read(ProvisionContext context, LiveResource current) =>
        context.Resources.Find(current.Type, current.PhysicalId)?.Properties.DeepClone() as JsonObject;
}
