using System.Globalization;
using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.CloudFront;

/// <summary>
/// What CloudFront's response headers policies, cache policies and origin access controls share: a configuration with
/// a name unique in the account (<c>...AlreadyExists</c>), a per-account quota (<c>TooMany...</c>), and no deletion
/// while a distribution uses it (<c>...InUse</c>).
/// </summary>
internal sealed class AccountScopedConfigProvider(AccountScopedConfigProvider.Kind kind, int quota) : IResourceProvider
{
    /// <summary>The type's names, codes and messages as CloudFront's API reference gives them.</summary>
    internal sealed record Kind(
        string Type,
        string ConfigProperty,
        Func<JsonNode?, IReadOnlyList<string>> UsedBy,
        Func<string> NewId,
        bool HasLastModifiedTime,
        string TooManyCode,
        string TooManyMessage,
        string AlreadyExistsCode,
        string AlreadyExistsMessage,
        string InUseCode,
        string InUseMessage);

    public static AccountScopedConfigProvider ResponseHeadersPolicies(int quota) => new(new Kind(
        "AWS::CloudFront::ResponseHeadersPolicy", "ResponseHeadersPolicyConfig",
        c => CloudFrontReferences.BehaviorValues(c, "ResponseHeadersPolicyId"), ProviderSupport.Uuid, true,
        "TooManyResponseHeadersPolicies", "You have reached the maximum number of response headers policies for this Amazon Web Services account.",
        "ResponseHeadersPolicyAlreadyExists", "A response headers policy with this name already exists. You must provide a unique name. To modify an existing response headers policy, use UpdateResponseHeadersPolicy.",
        "ResponseHeadersPolicyInUse", "Cannot delete the response headers policy because it is attached to one or more cache behaviors in a CloudFront distribution."), quota);

    public static AccountScopedConfigProvider CachePolicies(int quota) => new(new Kind(
        "AWS::CloudFront::CachePolicy", "CachePolicyConfig",
        c => CloudFrontReferences.BehaviorValues(c, "CachePolicyId"), ProviderSupport.Uuid, true,
        "TooManyCachePolicies", "You have reached the maximum number of cache policies for this Amazon Web Services account.",
        "CachePolicyAlreadyExists", "A cache policy with this name already exists. You must provide a unique name. To modify an existing cache policy, use UpdateCachePolicy.",
        "CachePolicyInUse", "Cannot delete the cache policy because it is attached to one or more cache behaviors."), quota);

    public static AccountScopedConfigProvider OriginAccessControls(int quota) => new(new Kind(
        "AWS::CloudFront::OriginAccessControl", "OriginAccessControlConfig",
        c => CloudFrontReferences.OriginValues(c, "OriginAccessControlId"), () => "E" + ProviderSupport.UpperId(13), false,
        "TooManyOriginAccessControls", "The number of origin access controls in your Amazon Web Services account exceeds the maximum allowed.",
        "OriginAccessControlAlreadyExists", "An origin access control with the specified parameters already exists.",
        "OriginAccessControlInUse", "Cannot delete the origin access control because it's in use by one or more distributions."), quota);

    public string Type => kind.Type;

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        var live = context.Resources.OfType(kind.Type);
        if (live.Count >= quota)
        {
            return Fail(400, kind.TooManyCode, kind.TooManyMessage);
        }

        var conflict = NameConflict(live, properties, except: null);
        if (conflict is not null)
        {
            return conflict;
        }

        var id = kind.NewId();
        return ProvisionResult.Created(id, Attributes(id, context));
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties) =>
        NameConflict(context.Resources.OfType(kind.Type), properties, current.PhysicalId)
        ?? ProvisionResult.Created(current.PhysicalId, Attributes(current.PhysicalId, context));

    public string? Delete(ProvisionContext context, LiveResource current) =>
        CloudFrontReferences.DistributionsWhere(context, c => kind.UsedBy(c).Contains(current.PhysicalId)).Count > 0
            ? ProviderSupport.ServiceError("AmazonCloudFront", 409, kind.InUseCode, kind.InUseMessage)
            : null;

    private ProvisionResult? NameConflict(IReadOnlyList<LiveResource> live, JsonObject properties, string? except)
    {
        var name = properties[kind.ConfigProperty].Str("Name");
        return name is not null && live.Any(r => r.PhysicalId != except && r.Properties[kind.ConfigProperty].Str("Name") == name)
            ? Fail(409, kind.AlreadyExistsCode, kind.AlreadyExistsMessage)
            : null;
    }

    private Dictionary<string, string> Attributes(string id, ProvisionContext context) => kind.HasLastModifiedTime
        ? ProviderSupport.Attributes(("Id", id), ("LastModifiedTime", context.Clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)))
        : ProviderSupport.Attributes(("Id", id));

    private static ProvisionResult Fail(int status, string code, string message) =>
        ProvisionResult.Failed(ProviderSupport.ServiceError("AmazonCloudFront", status, code, message));
}
