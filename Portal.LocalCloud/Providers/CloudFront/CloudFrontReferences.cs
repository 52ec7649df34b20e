using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.CloudFront;

/// <summary>What a distribution's configuration refers to, and which live distributions refer to a given thing.</summary>
internal static class CloudFrontReferences
{
    public const string DistributionType = "AWS::CloudFront::Distribution";
    public const string FunctionType = "AWS::CloudFront::Function";
    public const string CertificateType = "AWS::CertificateManager::Certificate";

    /// <summary>The default cache behaviour followed by the ordered ones.</summary>
    public static IReadOnlyList<JsonNode> Behaviors(JsonNode? config)
    {
        var behaviors = new List<JsonNode>();
        if (config?["DefaultCacheBehavior"] is { } first)
        {
            behaviors.Add(first);
        }

        behaviors.AddRange(config.Items("CacheBehaviors"));
        return behaviors;
    }

    public static IReadOnlyList<string> FunctionArns(JsonNode? config) =>
        Behaviors(config).SelectMany(b => b.Items("FunctionAssociations")).Select(a => a.Str("FunctionARN")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> BehaviorValues(JsonNode? config, string property) =>
        Behaviors(config).Select(b => b.Str(property)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> OriginValues(JsonNode? config, string property) =>
        config.Items("Origins").Select(o => o.Str(property)).OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Live distributions other than <paramref name="except"/> whose configuration satisfies the test.</summary>
    public static IReadOnlyList<LiveResource> DistributionsWhere(ProvisionContext context, Func<JsonNode?, bool> test, string? except = null) =>
        context.Resources.OfType(DistributionType)
            .Where(d => d.PhysicalId != except && test(d.Properties["DistributionConfig"]))
            .ToList();
}
