using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.LocalCloud.Resources;

// The strings are CloudFormation property names, which happen to match these records' members; nameof would tie
// them to names chosen here.
#pragma warning disable CA1507

namespace Portal.LocalCloud.Edge;

/// <summary>
/// What the edge needs of one deployed <c>AWS::CloudFront::Distribution</c>, read from its resolved properties:
/// the names it answers for, its origins, its cache behaviours in CloudFront's order and its custom error responses.
/// </summary>
public sealed record EdgeDistribution(
    string Id,
    string DomainName,
    bool Enabled,
    IReadOnlyList<string> Aliases,
    string? DefaultRootObject,
    IReadOnlyList<EdgeOrigin> Origins,
    EdgeBehavior DefaultBehavior,
    IReadOnlyList<EdgeBehavior> Behaviors,
    IReadOnlyList<EdgeErrorResponse> ErrorResponses)
{
    public const string ResourceType = "AWS::CloudFront::Distribution";

    public static EdgeDistribution From(LiveResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var config = resource.Properties["DistributionConfig"] as JsonObject ?? [];
        return new EdgeDistribution(
            resource.Attributes.GetValueOrDefault("Id") ?? resource.PhysicalId,
            (resource.Attributes.GetValueOrDefault("DomainName") ?? "").ToLowerInvariant().TrimEnd('.'),
            Bool(config["Enabled"]) ?? true,
            Strings(config["Aliases"]).Select(a => a.ToLowerInvariant().TrimEnd('.')).ToList(),
            Text(config["DefaultRootObject"]) is { Length: > 0 } root ? root : null,
            (config["Origins"] as JsonArray ?? []).OfType<JsonObject>().Select(EdgeOrigin.From).ToList(),
            EdgeBehavior.From(config["DefaultCacheBehavior"] as JsonObject ?? [], null),
            (config["CacheBehaviors"] as JsonArray ?? []).OfType<JsonObject>().Select(b => EdgeBehavior.From(b, Text(b["PathPattern"]) ?? "*")).ToList(),
            (config["CustomErrorResponses"] as JsonArray ?? []).OfType<JsonObject>().Select(EdgeErrorResponse.From).ToList());
    }

    /// <summary>The first cache behaviour whose path pattern matches, else the default one (CloudFront's rule).</summary>
    public EdgeBehavior BehaviorFor(string path) => Behaviors.FirstOrDefault(b => b.Matches(path)) ?? DefaultBehavior;

    public EdgeOrigin? Origin(string id) => Origins.FirstOrDefault(o => o.Id == id);

    internal static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    internal static bool? Bool(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<bool>(out var b) => b,
        JsonValue value when value.TryGetValue<string>(out var s) && bool.TryParse(s, out var parsed) => parsed,
        _ => null,
    };

    internal static int? Int(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<int>(out var i) => i,
        JsonValue value when value.TryGetValue<long>(out var l) => (int)l,
        JsonValue value when value.TryGetValue<double>(out var d) => (int)d,
        JsonValue value when value.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    internal static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(Text).OfType<string>();
}

/// <summary>An origin; for an S3 REST endpoint (<c>bucket.s3.region.amazonaws.com</c>) the bucket it reads.</summary>
/// <param name="SignsRequests">Whether the origin names an origin access control, so CloudFront signs its reads.</param>
public sealed partial record EdgeOrigin(string Id, string DomainName, string OriginPath, bool SignsRequests = false)
{
    public string? S3Bucket => S3Endpoint().Match(DomainName) is { Success: true } match ? match.Groups["bucket"].Value : null;

    public static EdgeOrigin From(JsonObject origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return new EdgeOrigin(EdgeDistribution.Text(origin["Id"]) ?? "", (EdgeDistribution.Text(origin["DomainName"]) ?? "").ToLowerInvariant(),
            EdgeDistribution.Text(origin["OriginPath"]) ?? "", EdgeDistribution.Text(origin["OriginAccessControlId"]) is { Length: > 0 });
    }

    /// <summary>The object key for a request path: the origin path, then the path with its percent-escapes decoded, as S3 reads a key.</summary>
    public string KeyFor(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var path = OriginPath.TrimEnd('/') + Uri.UnescapeDataString(uri);
        return path.TrimStart('/');
    }

    [GeneratedRegex(@"^(?<bucket>[a-z0-9][a-z0-9.-]*[a-z0-9])\.s3([.-](?<region>[a-z0-9-]+))?\.amazonaws\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex S3Endpoint();
}

/// <summary>One cache behaviour: the default one has no path pattern.</summary>
public sealed record EdgeBehavior(
    string? PathPattern,
    string TargetOriginId,
    string ViewerProtocolPolicy,
    bool Compress,
    IReadOnlyList<string> AllowedMethods,
    string? ResponseHeadersPolicyId,
    string? ViewerRequestFunctionArn)
{
    public static EdgeBehavior From(JsonObject behavior, string? pathPattern)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        var methods = EdgeDistribution.Strings(behavior["AllowedMethods"]).Select(m => m.ToUpperInvariant()).ToList();
        return new EdgeBehavior(
            pathPattern,
            EdgeDistribution.Text(behavior["TargetOriginId"]) ?? "",
            EdgeDistribution.Text(behavior["ViewerProtocolPolicy"]) ?? "allow-all",
            EdgeDistribution.Bool(behavior["Compress"]) ?? false,
            methods.Count == 0 ? ["GET", "HEAD"] : methods,
            EdgeDistribution.Text(behavior["ResponseHeadersPolicyId"]) is { Length: > 0 } policy ? policy : null,
            (behavior["FunctionAssociations"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(a => EdgeDistribution.Text(a["EventType"]) == "viewer-request")
                .Select(a => EdgeDistribution.Text(a["FunctionARN"])).FirstOrDefault());
    }

    /// <summary>
    /// CloudFront's path patterns: <c>*</c> matches any run of characters (slashes too), <c>?</c> exactly one, case
    /// matters, and the leading slash is optional (<c>images/*.jpg</c> is <c>/images/*.jpg</c>).
    /// </summary>
    public bool Matches(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (PathPattern is null)
        {
            return true;
        }

        var pattern = PathPattern.StartsWith('/') || PathPattern.StartsWith('*') ? PathPattern : "/" + PathPattern;
        var regex = "^" + string.Concat(pattern.Select(c => c switch
        {
            '*' => ".*",
            '?' => ".",
            _ => Regex.Escape(c.ToString()),
        })) + "$";
        return Regex.IsMatch(path, regex, RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}

/// <summary>A custom error response: the origin's status <see cref="ErrorCode"/> answered with another page and status.</summary>
public sealed record EdgeErrorResponse(int ErrorCode, int? ResponseCode, string? ResponsePagePath)
{
    public static EdgeErrorResponse From(JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new EdgeErrorResponse(EdgeDistribution.Int(item["ErrorCode"]) ?? 0, EdgeDistribution.Int(item["ResponseCode"]),
            EdgeDistribution.Text(item["ResponsePagePath"]) is { Length: > 0 } page ? page : null);
    }
}
