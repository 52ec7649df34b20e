using System.Globalization;
using System.Text.Json.Nodes;
using Portal.LocalCloud.Providers;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.CloudFront;

/// <summary>
/// CloudFront's List* calls over what the stacks created: ListDistributions, ListResponseHeadersPolicies,
/// ListFunctions and ListOriginAccessControls, paged as CloudFront pages them (<c>Marker</c> is where the previous
/// page stopped, <c>NextMarker</c> is set while more follow, <c>MaxItems</c> at most 100 by default). The local cloud
/// has no AWS-managed response headers policies, so <c>Type=managed</c> lists none.
/// </summary>
public sealed class CloudFrontListings(ResourceIndex resources, TimeProvider clock)
{
    public static bool Handles(string operation) =>
        operation is "ListDistributions" or "ListResponseHeadersPolicies" or "ListFunctions" or "ListOriginAccessControls";

    public AwsResult Handle(string operation, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var max = 100;
        if (input.Str("MaxItems") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max < 1))
        {
            return AwsResult.Fail(400, "InvalidArgument", "MaxItems must be a positive integer.");
        }

        var marker = input.Str("Marker") ?? "";
        return operation switch
        {
            "ListDistributions" => Page("DistributionList", "AWS::CloudFront::Distribution", marker, max, Distribution, withMarker: true),
            "ListResponseHeadersPolicies" => input.Str("Type") == "managed"
                ? AwsResult.Ok(Tree.Of(("ResponseHeadersPolicyList", Tree.Of(("MaxItems", max), ("Quantity", 0), ("Items", new List<object?>())))))
                : Page("ResponseHeadersPolicyList", "AWS::CloudFront::ResponseHeadersPolicy", marker, max, Policy, withMarker: false),
            "ListFunctions" => Page("FunctionList", "AWS::CloudFront::Function", marker, max, r => Function(r, input.Str("Stage")), withMarker: false),
            _ => Page("OriginAccessControlList", "AWS::CloudFront::OriginAccessControl", marker, max, AccessControl, withMarker: true),
        };
    }

    private AwsResult Page(string listName, string type, string marker, int max, Func<LiveResource, Dictionary<string, object?>?> summary, bool withMarker)
    {
        var all = resources.OfType(type).Where(r => string.CompareOrdinal(r.PhysicalId, marker) > 0).ToList();
        var items = new List<(LiveResource Resource, Dictionary<string, object?> Summary)>();
        foreach (var resource in all)
        {
            if (summary(resource) is { } s)
            {
                items.Add((resource, s));
            }
        }

        var page = items.Take(max).ToList();
        var truncated = items.Count > max;
        var list = Tree.Of(
            ("Marker", withMarker ? marker : null),
            ("NextMarker", truncated ? page[^1].Resource.PhysicalId : null),
            ("MaxItems", max),
            ("IsTruncated", withMarker ? truncated : null),
            ("Quantity", page.Count),
            ("Items", page.Select(p => (object?)p.Summary).ToList()));
        return AwsResult.Ok(Tree.Of((listName, list)));
    }

    private Dictionary<string, object?> Distribution(LiveResource r)
    {
        var config = r.Properties["DistributionConfig"];
        var aliases = config.Items("Aliases").Select(a => (object?)a.GetValue<string>()).ToList();
        var origins = config.Items("Origins").Select(o => (object?)Tree.Of(("Id", o.Str("Id") ?? ""), ("DomainName", o.Str("DomainName") ?? ""))).ToList();
        var behavior = config?["DefaultCacheBehavior"];
        return Tree.Of(
            ("Id", r.PhysicalId),
            ("ARN", "arn:aws:cloudfront::123456789012:distribution/" + r.PhysicalId),
            ("Status", "Deployed"),
            ("LastModifiedTime", clock.GetUtcNow()),
            ("DomainName", r.Attributes.GetValueOrDefault("DomainName") ?? ""),
            ("Aliases", Tree.Of(("Quantity", aliases.Count), ("Items", aliases.Count == 0 ? null : aliases))),
            ("Origins", Tree.Of(("Quantity", origins.Count), ("Items", origins))),
            ("DefaultCacheBehavior", Tree.Of(("TargetOriginId", behavior.Str("TargetOriginId") ?? ""), ("ViewerProtocolPolicy", behavior.Str("ViewerProtocolPolicy") ?? "allow-all"))),
            ("CacheBehaviors", Tree.Of(("Quantity", config.Items("CacheBehaviors").Count))),
            ("CustomErrorResponses", Tree.Of(("Quantity", config.Items("CustomErrorResponses").Count))),
            ("Comment", config.Str("Comment") ?? ""),
            ("PriceClass", config.Str("PriceClass") ?? "PriceClass_All"),
            ("Enabled", config.Bool("Enabled")),
            ("ViewerCertificate", Tree.Of(("ACMCertificateArn", config?["ViewerCertificate"].Str("AcmCertificateArn")))),
            ("Restrictions", Tree.Of(("GeoRestriction", Tree.Of(("RestrictionType", "none"), ("Quantity", 0))))),
            ("WebACLId", config.Str("WebACLId") ?? ""),
            ("HttpVersion", config.Str("HttpVersion") ?? "http2"),
            ("IsIPV6Enabled", config.Bool("IPV6Enabled")),
            ("Staging", config.Bool("Staging")));
    }

    private Dictionary<string, object?> Policy(LiveResource r) => Tree.Of(
        ("Type", "custom"),
        ("ResponseHeadersPolicy", Tree.Of(
            ("Id", r.PhysicalId),
            ("LastModifiedTime", clock.GetUtcNow()),
            ("ResponseHeadersPolicyConfig", Tree.Of(("Name", r.Properties["ResponseHeadersPolicyConfig"].Str("Name") ?? ""))))));

    private Dictionary<string, object?>? Function(LiveResource r, string? stage)
    {
        var live = r.Attributes.GetValueOrDefault("Stage") ?? "DEVELOPMENT";
        if (stage == "LIVE" && live != "LIVE")
        {
            return null;
        }

        var config = r.Properties["FunctionConfig"];
        return Tree.Of(
            ("Name", r.Properties.Str("Name") ?? ""),
            ("Status", "UNASSOCIATED"),
            ("FunctionConfig", Tree.Of(("Comment", config.Str("Comment") ?? ""), ("Runtime", config.Str("Runtime") ?? "cloudfront-js-2.0"))),
            ("FunctionMetadata", Tree.Of(("FunctionARN", r.PhysicalId), ("Stage", stage ?? "DEVELOPMENT"), ("LastModifiedTime", clock.GetUtcNow()))));
    }

    private static Dictionary<string, object?> AccessControl(LiveResource r)
    {
        var config = r.Properties["OriginAccessControlConfig"];
        return Tree.Of(
            ("Id", r.PhysicalId),
            ("Description", config.Str("Description") ?? ""),
            ("Name", config.Str("Name") ?? ""),
            ("SigningProtocol", config.Str("SigningProtocol") ?? "sigv4"),
            ("SigningBehavior", config.Str("SigningBehavior") ?? "always"),
            ("OriginAccessControlOriginType", config.Str("OriginAccessControlOriginType") ?? "s3"));
    }
}
