using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Providers.CertificateManager;
using Portal.LocalCloud.Providers.S3;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.CloudFront;

/// <summary>
/// <c>AWS::CloudFront::Distribution</c>: Ref and <c>Id</c> are <c>E</c> and 13 upper-case letters and digits,
/// <c>DomainName</c> is <c>d</c>, 13 lower-case letters and digits, <c>.cloudfront.net</c>. Enforces the account's
/// distribution quota, the alias quota and uniqueness, the viewer certificate's requirements (ACM, us-east-1, issued,
/// covering every alias), published functions and their association quota, and that referenced policies and origin
/// access controls exist, and that the standard logging bucket exists with ACLs enabled.
/// </summary>
internal sealed class DistributionProvider(LocalCloudQuotas quotas, CertificateProvider certificates, IBucketStore buckets) : IResourceProvider
{
    private const string AliasRequirements = "For more details, see: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements";

    /// <summary>CloudFront's managed cache policies: usable by every account without a resource of its own.</summary>
    private static readonly string[] ManagedCachePolicies =
    [
        "658327ea-f89d-4fab-a63d-7e88639e58f6", // CachingOptimized
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", // CachingDisabled
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d", // CachingOptimizedForUncompressedObjects
        "08627262-05a9-4f76-9ded-b50ca2e3a84f", // Elemental-MediaPackage
    ];

    /// <summary>CloudFront's managed response headers policies.</summary>
    private static readonly string[] ManagedResponseHeadersPolicies =
    [
        "67f7725c-6f97-4210-82d7-5512b31e9d03", // SecurityHeadersPolicy
        "60669652-455b-4ae9-85a4-c4c02393f86c", // SimpleCORS
        "5cc3b908-e619-4b99-88e5-2cf7f45965bd", // CORS-With-Preflight
        "e61eb60c-9c35-4d20-a928-2b84e02af89c", // CORS-and-SecurityHeadersPolicy
        "eaab4381-ed33-4a86-88ca-d9558dc6cd63", // CORS-with-preflight-and-SecurityHeadersPolicy
    ];

    public string Type => CloudFrontReferences.DistributionType;

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        if (context.Resources.OfType(Type).Count >= quotas.Distributions)
        {
            return Fail(400, "TooManyDistributions", "Processing your request would cause you to exceed the maximum number of distributions allowed.");
        }

        var id = "E" + ProviderSupport.UpperId(13);
        return Check(context, properties["DistributionConfig"], except: null)
            ?? ProvisionResult.Created(id, ProviderSupport.Attributes(("Id", id), ("DomainName", "d" + ProviderSupport.LowerId(13) + ".cloudfront.net")));
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties) =>
        Check(context, properties["DistributionConfig"], current.PhysicalId) ?? ProvisionResult.Created(current.PhysicalId, current.Attributes);

    /// <summary>CloudFormation disables the distribution and then deletes it; nothing refuses that.</summary>
    public string? Delete(ProvisionContext context, LiveResource current) => null;

    private ProvisionResult? Check(ProvisionContext context, JsonNode? config, string? except) =>
        CheckAliases(context, config, except)
        ?? CheckCertificate(context, config)
        ?? CheckFunctions(context, config, except)
        ?? CheckPolicies(context, config)
        ?? CheckAssociations(context, config, except)
        ?? CheckLogging(context, config);

    /// <summary>Per-policy and per-origin-access-control quotas on the distributions using one (the account's own ones).</summary>
    private ProvisionResult? CheckAssociations(ProvisionContext context, JsonNode? config, string? except)
    {
        var limits = new (IReadOnlyList<string> Ids, Func<JsonNode?, IReadOnlyList<string>> UsedBy, int Quota, string Code, string Message)[]
        {
            (CloudFrontReferences.BehaviorValues(config, "CachePolicyId").Except(ManagedCachePolicies).ToList(),
                c => CloudFrontReferences.BehaviorValues(c, "CachePolicyId"), quotas.DistributionsPerCachePolicy,
                "TooManyDistributionsAssociatedToCachePolicy", "The maximum number of distributions have been associated with the specified cache policy."),
            (CloudFrontReferences.BehaviorValues(config, "ResponseHeadersPolicyId").Except(ManagedResponseHeadersPolicies).ToList(),
                c => CloudFrontReferences.BehaviorValues(c, "ResponseHeadersPolicyId"), quotas.DistributionsPerResponseHeadersPolicy,
                "TooManyDistributionsAssociatedToResponseHeadersPolicy", "The maximum number of distributions have been associated with the specified response headers policy."),
            (CloudFrontReferences.OriginValues(config, "OriginAccessControlId"),
                c => CloudFrontReferences.OriginValues(c, "OriginAccessControlId"), quotas.DistributionsPerOriginAccessControl,
                "TooManyDistributionsAssociatedToOriginAccessControl", "The maximum number of distributions have been associated with the specified origin access control."),
        };
        foreach (var (ids, usedBy, quota, code, message) in limits)
        {
            if (ids.Any(id => CloudFrontReferences.DistributionsWhere(context, c => usedBy(c).Contains(id), except).Count >= quota))
            {
                return Fail(400, code, message);
            }
        }

        return null;
    }

    /// <summary>
    /// Standard logging writes through the bucket's ACL, so the bucket must exist and not have ACLs disabled: a bucket a
    /// stack made without OwnershipControls has them disabled, S3's default for new buckets (BucketOwnerEnforced).
    /// </summary>
    private ProvisionResult? CheckLogging(ProvisionContext context, JsonNode? config)
    {
        var domain = config?["Logging"].Str("Bucket");
        if (domain is null)
        {
            return null;
        }

        var bucket = domain.TrimEnd('.');
        var s3 = bucket.IndexOf(".s3.", StringComparison.Ordinal);
        bucket = s3 > 0 ? bucket[..s3] : bucket;
        if (!buckets.Exists(bucket))
        {
            return Fail(400, "InvalidArgument", $"The S3 bucket that you specified for CloudFront logs does not exist: {domain}");
        }

        var made = context.Resources.Find("AWS::S3::Bucket", bucket);
        var ownership = made?.Properties["OwnershipControls"].Items("Rules").Select(r => r.Str("ObjectOwnership")).FirstOrDefault() ?? "BucketOwnerEnforced";
        return made is not null && ownership == "BucketOwnerEnforced"
            ? Fail(400, "InvalidArgument", $"The S3 bucket that you specified for CloudFront logs does not enable ACL access: {domain}")
            : null;
    }

    private ProvisionResult? CheckAliases(ProvisionContext context, JsonNode? config, string? except)
    {
        var aliases = Aliases(config);
        if (aliases.Count > quotas.AliasesPerDistribution)
        {
            return Fail(400, "TooManyDistributionCNAMEs", "Your request contains more CNAMEs than are allowed per distribution.");
        }

        var taken = CloudFrontReferences.DistributionsWhere(context, c => Aliases(c).Intersect(aliases, StringComparer.Ordinal).Any(), except);
        return taken.Count > 0
            ? Fail(409, "CNAMEAlreadyExists", "One or more of the CNAMEs you provided are already associated with a different resource.")
            : null;
    }

    private ProvisionResult? CheckCertificate(ProvisionContext context, JsonNode? config)
    {
        var aliases = Aliases(config);
        var viewer = config?["ViewerCertificate"];
        var arn = viewer.Str("AcmCertificateArn");
        if (arn is null)
        {
            // The default *.cloudfront.net certificate (or an IAM one, which the local cloud does not hold) cannot prove the
            // right to serve an alias.
            return aliases.Count > 0
                ? Fail(400, "InvalidViewerCertificate", "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name. " + AliasRequirements)
                : null;
        }

        var certificate = context.Resources.Find(CloudFrontReferences.CertificateType, arn);
        var parts = arn.Split(':');
        if (parts.Length < 6 || parts[2] != "acm" || parts[3] != "us-east-1" || certificate is null || certificates.Status(arn) is not "ISSUED")
        {
            return Fail(400, "InvalidViewerCertificate", "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.");
        }

        var names = CertificateProvider.Domains(certificate.Properties);
        return aliases.All(a => names.Any(n => Covers(n, a)))
            ? null
            : Fail(400, "InvalidViewerCertificate", "The certificate that is attached to your distribution doesn't cover the alternate domain name (CNAME) that you're trying to add. " + AliasRequirements);
    }

    private ProvisionResult? CheckFunctions(ProvisionContext context, JsonNode? config, string? except)
    {
        foreach (var arn in CloudFrontReferences.FunctionArns(config))
        {
            var function = context.Resources.Find(CloudFrontReferences.FunctionType, arn);
            if (function is null)
            {
                return Fail(400, "InvalidFunctionAssociation", $"The function association is invalid: no function {arn} exists in this account.");
            }

            if (function.Attributes.GetValueOrDefault("Stage") != "LIVE")
            {
                return Fail(400, "InvalidFunctionAssociation", $"The function association is invalid: function {arn} is not published to the LIVE stage.");
            }

            var users = CloudFrontReferences.DistributionsWhere(context, c => CloudFrontReferences.FunctionArns(c).Contains(arn), except);
            if (users.Count >= quotas.DistributionsPerFunction)
            {
                return Fail(400, "TooManyDistributionsWithFunctionAssociations", "You have reached the maximum number of distributions that are associated with a CloudFront function.");
            }
        }

        return null;
    }

    private static ProvisionResult? CheckPolicies(ProvisionContext context, JsonNode? config)
    {
        if (CloudFrontReferences.BehaviorValues(config, "CachePolicyId")
            .Any(id => !ManagedCachePolicies.Contains(id) && context.Resources.Find("AWS::CloudFront::CachePolicy", id) is null))
        {
            return Fail(404, "NoSuchCachePolicy", "The cache policy does not exist.");
        }

        if (CloudFrontReferences.BehaviorValues(config, "ResponseHeadersPolicyId")
            .Any(id => !ManagedResponseHeadersPolicies.Contains(id) && context.Resources.Find("AWS::CloudFront::ResponseHeadersPolicy", id) is null))
        {
            return Fail(404, "NoSuchResponseHeadersPolicy", "The response headers policy does not exist.");
        }

        return CloudFrontReferences.OriginValues(config, "OriginAccessControlId")
            .Any(id => context.Resources.Find("AWS::CloudFront::OriginAccessControl", id) is null)
                ? Fail(404, "NoSuchOriginAccessControl", "The origin access control does not exist.")
                : null;
    }

    private static List<string> Aliases(JsonNode? config) =>
        config.Strings("Aliases").Select(a => a.TrimEnd('.').ToLowerInvariant()).ToList();

    /// <summary>
    /// A certificate name covers an alias when equal, or when it is a wildcard <c>*.example.com</c> and the alias has
    /// exactly one more label (<c>www.example.com</c>, not <c>example.com</c> nor <c>a.b.example.com</c>).
    /// </summary>
    internal static bool Covers(string certificateName, string alias)
    {
        if (string.Equals(certificateName, alias, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!certificateName.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var dot = alias.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && alias[..dot] != "*" && string.Equals(alias[(dot + 1)..], certificateName[2..], StringComparison.OrdinalIgnoreCase);
    }

    private static ProvisionResult Fail(int status, string code, string message) =>
        ProvisionResult.Failed(ProviderSupport.ServiceError("AmazonCloudFront", status, code, message));
}
