using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.S3;

/// <summary>
/// <c>AWS::S3::Bucket</c>: Ref is the bucket name (CloudFormation makes one up when BucketName is absent); <c>Arn</c>,
/// <c>DomainName</c>, <c>RegionalDomainName</c>, <c>DualStackDomainName</c> and <c>WebsiteURL</c> in S3's forms. The
/// name follows S3's general purpose bucket naming rules and is unique in the local cloud; the bucket is made in S3,
/// and deleting a bucket that still holds objects fails as S3 refuses it.
/// </summary>
internal sealed partial class BucketProvider(IBucketStore buckets) : IResourceProvider
{
    /// <summary>Regions whose website endpoint is written <c>s3-website-region</c>; the others use <c>s3-website.region</c>.</summary>
    private static readonly string[] DashWebsiteRegions = ["us-east-1", "us-west-1", "us-west-2", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "eu-west-1", "sa-east-1"];

    public string Type => "AWS::S3::Bucket";

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        var name = properties.Str("BucketName") ?? ProviderSupport.GeneratedName(context.StackName, context.LogicalId, 63, lowerCase: true);
        if (!ValidName(name))
        {
            return Fail(400, "InvalidBucketName", "The specified bucket is not valid.");
        }

        if (LifecycleProblem(properties) is { } lifecycle)
        {
            return lifecycle;
        }

        if (buckets.Exists(name))
        {
            return Fail(409, "BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");
        }

        buckets.Create(name);
        buckets.SetNewerNoncurrentVersions(name, NewerNoncurrentVersions(properties));
        var region = context.Region;
        var website = DashWebsiteRegions.Contains(region) ? $"s3-website-{region}" : $"s3-website.{region}";
        return ProvisionResult.Created(name, ProviderSupport.Attributes(
            ("Arn", $"arn:aws:s3:::{name}"),
            ("DomainName", $"{name}.s3.amazonaws.com"),
            ("RegionalDomainName", $"{name}.s3.{region}.amazonaws.com"),
            ("DualStackDomainName", $"{name}.s3.dualstack.{region}.amazonaws.com"),
            ("WebsiteURL", $"http://{name}.{website}.amazonaws.com")));
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties)
    {
        if (LifecycleProblem(properties) is { } lifecycle)
        {
            return lifecycle;
        }

        buckets.SetNewerNoncurrentVersions(current.PhysicalId, NewerNoncurrentVersions(properties));
        return ProvisionResult.Created(current.PhysicalId, current.Attributes);
    }

    /// <summary>S3's most for <c>NewerNoncurrentVersions</c>: "You can specify up to 100 noncurrent versions to retain."</summary>
    internal const int MaxNewerNoncurrentVersions = 100;

    private static IEnumerable<JsonObject> NoncurrentExpirations(JsonObject properties) =>
        (properties["LifecycleConfiguration"]?["Rules"] as JsonArray ?? [])
            .Where(r => r?["Status"]?.ToString() == "Enabled")
            .Select(r => r?["NoncurrentVersionExpiration"] as JsonObject)
            .OfType<JsonObject>();

    /// <summary>
    /// The lifecycle rules S3 refuses in PutBucketLifecycleConfiguration: a noncurrent expiration keeping more than 100
    /// or fewer than 1 newer noncurrent versions, or with a count but no (positive) NoncurrentDays.
    /// </summary>
    private static ProvisionResult? LifecycleProblem(JsonObject properties)
    {
        foreach (var rule in NoncurrentExpirations(properties))
        {
            var newer = Integer(rule["NewerNoncurrentVersions"]);
            var days = Integer(rule["NoncurrentDays"]);
            if (rule["NewerNoncurrentVersions"] is not null && newer is not (>= 1 and <= MaxNewerNoncurrentVersions))
            {
                return Fail(400, "InvalidArgument", $"NewerNoncurrentVersions must be between 1 and {MaxNewerNoncurrentVersions}.");
            }

            if (days is not > 0)
            {
                return Fail(400, "InvalidArgument", "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
            }
        }

        return null;
    }

    private static int? NewerNoncurrentVersions(JsonObject properties) =>
        NoncurrentExpirations(properties).Select(r => Integer(r["NewerNoncurrentVersions"])).FirstOrDefault(n => n is not null);

    private static int? Integer(JsonNode? node) =>
        node is JsonValue value && int.TryParse(value.ToString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A bucket deleted outside CloudFormation is a DELETED resource to drift detection.</summary>
    public JsonObject? Read(ProvisionContext context, LiveResource current) =>
        buckets.Exists(current.PhysicalId) ? context.Resources.Find(current.Type, current.PhysicalId)?.Properties.DeepClone() as JsonObject : null;

    public string? Delete(ProvisionContext context, LiveResource current)
    {
        if (!buckets.Exists(current.PhysicalId))
        {
            return null;
        }

        if (!buckets.IsEmpty(current.PhysicalId))
        {
            return ProviderSupport.ServiceError("Amazon S3", 409, "BucketNotEmpty", "The bucket you tried to delete is not empty. You must delete all versions in the bucket.");
        }

        buckets.Remove(current.PhysicalId);
        return null;
    }

    /// <summary>S3's naming rules for general purpose buckets.</summary>
    internal static bool ValidName(string name) =>
        name.Length is >= 3 and <= 63
        && NamePattern().IsMatch(name)
        && !name.Contains("..", StringComparison.Ordinal)
        && !(IPAddress.TryParse(name, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && name.Count(c => c == '.') == 3)
        && !name.StartsWith("xn--", StringComparison.Ordinal)
        && !name.StartsWith("sthree-", StringComparison.Ordinal)
        && !name.StartsWith("amzn-s3-demo-", StringComparison.Ordinal)
        && !name.EndsWith("-s3alias", StringComparison.Ordinal)
        && !name.EndsWith("--ol-s3", StringComparison.Ordinal)
        && !name.EndsWith(".mrap", StringComparison.Ordinal)
        && !name.EndsWith("--x-s3", StringComparison.Ordinal);

    private static ProvisionResult Fail(int status, string code, string message) =>
        ProvisionResult.Failed(ProviderSupport.ServiceError("Amazon S3", status, code, message));

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex NamePattern();
}
