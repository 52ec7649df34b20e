using System.Globalization;
using System.Text.Json.Nodes;
using Portal.LocalCloud.Providers;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.CloudFront;

/// <summary>
/// CloudFront's read calls over what the stacks created: GetDistribution (a distribution and its configuration,
/// <c>NoSuchDistribution</c> for an id the account has not), and ListDistributions, ListResponseHeadersPolicies,
/// ListFunctions and ListOriginAccessControls, paged as CloudFront pages them (<c>Marker</c> is where the previous
/// page stopped, <c>NextMarker</c> is set while more follow, <c>MaxItems</c> at most 100 by default). The local cloud
/// has no AWS-managed response headers policies, so <c>Type=managed</c> lists none.
/// </summary>
public sealed class CloudFrontListings(ResourceIndex resources, TimeProvider clock)
{
    public static bool Handles(string operation) =>
        operation is "GetDistribution" or "ListDistributions" or "ListResponseHeadersPolicies" or "ListFunctions" or "ListOriginAccessControls";

    public AwsResult Handle(string operation, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (operation == "GetDistribution")
        {
            return GetDistribution(input.Str("Id") ?? "");
        }

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

    /// <summary>
    /// The distribution with its configuration in the API's shape (lists as Quantity and Items), from the properties the
    /// stack gave it. The ETag is the configuration's version; the local cloud derives it from the properties.
    /// </summary>
    private AwsResult GetDistribution(string id)
    {
        if (resources.Find("AWS::CloudFront::Distribution", id) is not { } r)
        {
            return AwsResult.Fail(404, "NoSuchDistribution", "The specified distribution does not exist.");
        }

        var config = r.Properties["DistributionConfig"];
        static Dictionary<string, object?> Items(List<object?> items) => Tree.Of(("Quantity", items.Count), ("Items", items.Count == 0 ? null : items));
        var aliases = config.Items("Aliases").Select(a => (object?)a.GetValue<string>()).ToList();
        var origins = config.Items("Origins").Select(o => (object?)Tree.Of(
            ("Id", o.Str("Id") ?? ""),
            ("DomainName", o.Str("DomainName") ?? ""),
            ("OriginPath", o.Str("OriginPath") ?? ""),
            ("S3OriginConfig", o["S3OriginConfig"] is null ? null : Tree.Of(("OriginAccessIdentity", o["S3OriginConfig"].Str("OriginAccessIdentity") ?? ""))),
            ("CustomOriginConfig", o["CustomOriginConfig"] is not { } custom ? null : Tree.Of(
                ("HTTPPort", int.Parse(custom.Str("HTTPPort") ?? "80", CultureInfo.InvariantCulture)),
                ("HTTPSPort", int.Parse(custom.Str("HTTPSPort") ?? "443", CultureInfo.InvariantCulture)),
                ("OriginProtocolPolicy", custom.Str("OriginProtocolPolicy") ?? "https-only"))),
            ("OriginAccessControlId", o.Str("OriginAccessControlId") ?? ""))).ToList();
        var errors = config.Items("CustomErrorResponses").Select(e => (object?)Tree.Of(
            ("ErrorCode", int.Parse(e.Str("ErrorCode") ?? "0", CultureInfo.InvariantCulture)),
            ("ResponsePagePath", e.Str("ResponsePagePath")),
            ("ResponseCode", e.Str("ResponseCode")),
            ("ErrorCachingMinTTL", e.Str("ErrorCachingMinTTL") is { } ttl ? (object?)long.Parse(ttl, CultureInfo.InvariantCulture) : null))).ToList();
        var behavior = config?["DefaultCacheBehavior"];
        var certificate = config?["ViewerCertificate"];
        var distribution = Tree.Of(
            ("Id", r.PhysicalId),
            ("ARN", "arn:aws:cloudfront::123456789012:distribution/" + r.PhysicalId),
            ("Status", "Deployed"),
            ("LastModifiedTime", clock.GetUtcNow()),
            ("InProgressInvalidationBatches", 0),
            ("DomainName", r.Attributes.GetValueOrDefault("DomainName") ?? ""),
            ("DistributionConfig", Tree.Of(
                ("CallerReference", r.PhysicalId),
                ("Aliases", Items(aliases)),
                ("DefaultRootObject", config.Str("DefaultRootObject") ?? ""),
                ("Origins", Items(origins)),
                ("DefaultCacheBehavior", Tree.Of(
                    ("TargetOriginId", behavior.Str("TargetOriginId") ?? ""),
                    ("ViewerProtocolPolicy", behavior.Str("ViewerProtocolPolicy") ?? "allow-all"),
                    ("CachePolicyId", behavior.Str("CachePolicyId")))),
                ("CustomErrorResponses", Items(errors)),
                ("Comment", config.Str("Comment") ?? ""),
                ("PriceClass", config.Str("PriceClass") ?? "PriceClass_All"),
                ("Enabled", config.Bool("Enabled")),
                ("ViewerCertificate", certificate?["AcmCertificateArn"] is null
                    ? Tree.Of(("CloudFrontDefaultCertificate", true))
                    : Tree.Of(("ACMCertificateArn", certificate.Str("AcmCertificateArn")), ("SSLSupportMethod", certificate.Str("SslSupportMethod") ?? "sni-only"),
                        ("MinimumProtocolVersion", certificate.Str("MinimumProtocolVersion") ?? "TLSv1.2_2021"))),
                ("HttpVersion", config.Str("HttpVersion") ?? "http2"),
                ("IsIPV6Enabled", config.Bool("IPV6Enabled")))));
        var etag = "E" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(config?.ToJsonString() ?? "")))[..13];
        return AwsResult.Ok(Tree.Of(("Distribution", distribution), ("ETag", etag)));
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
