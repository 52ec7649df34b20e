using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.CloudFormation;

/// <summary>
/// Which provider creates each resource type: the registered ones by their <see cref="IResourceProvider.Type"/>, and
/// for every other type the fallback (by default <see cref="GenericResourceProvider"/>, which enforces no rule of the
/// type but gives physical ids and attributes in AWS's formats). Immutable.
/// </summary>
public sealed class ResourceProviders
{
    private readonly Dictionary<string, IResourceProvider> _byType;
    private readonly Func<string, IResourceProvider> _fallback;

    public ResourceProviders(IEnumerable<IResourceProvider> providers, Func<string, IResourceProvider>? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _byType = providers.ToDictionary(p => p.Type, StringComparer.Ordinal);
        _fallback = fallback ?? (type => new GenericResourceProvider(type));
    }

    /// <summary>Only the generic provider, for every type.</summary>
    public static ResourceProviders Generic { get; } = new([]);

    public IResourceProvider For(string type) => _byType.TryGetValue(type, out var provider) ? provider : _fallback(type);
}

/// <summary>
/// A resource type without rules of its own: creation always succeeds, with the physical id <c>Ref</c> returns and
/// the <c>Fn::GetAtt</c> attributes in the shapes the CloudFormation template reference documents for that type.
/// Random parts are derived from the stack, the logical id and the properties, so that a replacement (a create-only
/// property changed) gets a new id and a restored local cloud gives the same ids as the original would have.
/// </summary>
public sealed class GenericResourceProvider(string type) : IResourceProvider
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";

    public string Type => type;

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(properties);
        var seed = $"{context.StackId}|{context.LogicalId}|{properties.ToJsonString()}";
        var id = PhysicalId(context, properties, seed);
        return ProvisionResult.Created(id, Attributes(context, properties, id));
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties)
    {
        ArgumentNullException.ThrowIfNull(current);
        return ProvisionResult.Created(current.PhysicalId, Attributes(context, properties, current.PhysicalId));
    }

    public string? Delete(ProvisionContext context, LiveResource current) => null;

    private string PhysicalId(ProvisionContext c, JsonObject p, string seed) => type switch
    {
        "AWS::CertificateManager::Certificate" => $"arn:aws:acm:{c.Region}:{c.AccountId}:certificate/{Uuid(seed)}",
        "AWS::CloudFront::Distribution" or "AWS::CloudFront::OriginAccessControl" or "AWS::CloudFront::CloudFrontOriginAccessIdentity" =>
            "E" + Random(seed, 13, Upper),
        "AWS::CloudFront::CachePolicy" or "AWS::CloudFront::ResponseHeadersPolicy" => Uuid(seed),
        "AWS::CloudFront::Function" => $"arn:aws:cloudfront::{c.AccountId}:function/{Given(p, "Name") ?? GeneratedName(c, seed, 64)}",
        "AWS::IAM::Role" => Given(p, "RoleName") ?? GeneratedName(c, seed, 64),
        "AWS::Lambda::Function" => Given(p, "FunctionName") ?? GeneratedName(c, seed, 64),
        "AWS::Lambda::Version" => $"{FunctionArn(c, Given(p, "FunctionName") ?? "function")}:1",
        "AWS::Route53::RecordSet" => (Given(p, "Name") ?? GeneratedName(c, seed, 64)).TrimEnd('.'),
        "AWS::S3::Bucket" => Given(p, "BucketName") ?? GeneratedName(c, seed, 63).ToLowerInvariant(),
        "AWS::S3::BucketPolicy" => Given(p, "Bucket") ?? GeneratedName(c, seed, 63),
        "AWS::WAFv2::WebACL" => $"{Given(p, "Name") ?? GeneratedName(c, seed, 128)}|{Uuid(seed)}|{Given(p, "Scope") ?? "CLOUDFRONT"}",
        _ => GeneratedName(c, seed, 128),
    };

    private Dictionary<string, string> Attributes(ProvisionContext c, JsonObject p, string id)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (type)
        {
            case "AWS::CertificateManager::Certificate":
                attributes["Id"] = id;
                break;
            case "AWS::CloudFront::Distribution":
                attributes["Id"] = id;
                attributes["DomainName"] = $"d{Random(id, 13, Lower)}.cloudfront.net";
                break;
            case "AWS::CloudFront::OriginAccessControl":
                attributes["Id"] = id;
                break;
            case "AWS::CloudFront::CloudFrontOriginAccessIdentity":
                attributes["Id"] = id;
                attributes["S3CanonicalUserId"] = Convert.ToHexStringLower(SHA384.HashData(Encoding.UTF8.GetBytes(id)));
                break;
            case "AWS::CloudFront::CachePolicy" or "AWS::CloudFront::ResponseHeadersPolicy":
                attributes["Id"] = id;
                attributes["LastModifiedTime"] = c.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                break;
            case "AWS::CloudFront::Function":
                attributes["FunctionARN"] = id;
                attributes["FunctionMetadata.FunctionARN"] = id;
                attributes["Stage"] = p["AutoPublish"] is JsonValue autoPublish && autoPublish.TryGetValue<bool>(out var published) && published ? "LIVE" : "DEVELOPMENT";
                break;
            case "AWS::IAM::Role":
                var path = Given(p, "Path") ?? "/";
                attributes["Arn"] = $"arn:aws:iam::{c.AccountId}:role{path}{id}";
                attributes["RoleId"] = "AROA" + Random(id, 17, Upper[..26]);
                break;
            case "AWS::Lambda::Function":
                attributes["Arn"] = FunctionArn(c, id);
                break;
            case "AWS::Lambda::Version":
                attributes["FunctionArn"] = id;
                attributes["Version"] = id[(id.LastIndexOf(':') + 1)..];
                break;
            case "AWS::S3::Bucket":
                attributes["Arn"] = $"arn:aws:s3:::{id}";
                attributes["DomainName"] = $"{id}.s3.amazonaws.com";
                attributes["RegionalDomainName"] = $"{id}.s3.{c.Region}.amazonaws.com";
                attributes["DualStackDomainName"] = $"{id}.s3.dualstack.{c.Region}.amazonaws.com";
                attributes["WebsiteURL"] = $"http://{id}.s3-website-{c.Region}.amazonaws.com";
                break;
            case "AWS::WAFv2::WebACL":
                var parts = id.Split('|');
                var scope = parts[2] == "CLOUDFRONT" ? "global" : "regional";
                attributes["Id"] = parts[1];
                attributes["Arn"] = $"arn:aws:wafv2:{c.Region}:{c.AccountId}:{scope}/webacl/{parts[0]}/{parts[1]}";
                attributes["LabelNamespace"] = $"awswaf:{c.AccountId}:webacl:{parts[0]}:";
                attributes["Capacity"] = "1";
                break;
        }

        return attributes;
    }

    private static string FunctionArn(ProvisionContext c, string name) =>
        name.StartsWith("arn:", StringComparison.Ordinal) ? name : $"arn:aws:lambda:{c.Region}:{c.AccountId}:function:{name}";

    private static string? Given(JsonObject properties, string name) =>
        properties[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    // CloudFormation's generated names: stack name, logical id and a random suffix, cut to the type's length limit.
    private static string GeneratedName(ProvisionContext c, string seed, int maxLength)
    {
        var suffix = Random(seed, 13, Upper);
        var prefix = $"{c.StackName}-{c.LogicalId}";
        var room = maxLength - suffix.Length - 1;
        return (prefix.Length > room ? prefix[..room] : prefix) + "-" + suffix;
    }

    private static string Random(string seed, int length, string alphabet)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[bytes[i % bytes.Length] % alphabet.Length]);
        }

        return builder.ToString();
    }

    private static string Uuid(string seed)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("uuid|" + seed))[..16];
        return new Guid(bytes).ToString();
    }
}
