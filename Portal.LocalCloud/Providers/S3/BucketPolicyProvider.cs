using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.S3;

/// <summary>
/// <c>AWS::S3::BucketPolicy</c>: Ref is the bucket name. The bucket must exist, and the policy must be a JSON document
/// whose every resource is the bucket or objects in it.
/// </summary>
internal sealed class BucketPolicyProvider(IBucketStore buckets) : IResourceProvider
{
    public string Type => "AWS::S3::BucketPolicy";

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        var bucket = properties.Str("Bucket") ?? "";
        return Check(bucket, properties) ?? ProvisionResult.Created(bucket);
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties) =>
        Check(current.PhysicalId, properties) ?? ProvisionResult.Created(current.PhysicalId);

    public string? Delete(ProvisionContext context, LiveResource current) => null;

    private ProvisionResult? Check(string bucket, JsonObject properties)
    {
        if (!buckets.Exists(bucket))
        {
            return Fail(404, "NoSuchBucket", "The specified bucket does not exist");
        }

        var policy = ProviderSupport.PolicyDocument(properties["PolicyDocument"]);
        if (policy is null)
        {
            return Fail(400, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
        }

        var statements = policy["Statement"] switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject one => [one],
            _ => [],
        };
        var resources = statements.SelectMany(s => s["Resource"] switch
        {
            JsonArray array => array.Select(r => r?.ToString() ?? ""),
            JsonValue one => [one.ToString()],
            _ => [],
        });
        var own = $"arn:aws:s3:::{bucket}";
        return resources.All(r => r == own || r.StartsWith(own + "/", StringComparison.Ordinal))
            ? null
            : Fail(400, "MalformedPolicy", "Policy has invalid resource");
    }

    private static ProvisionResult Fail(int status, string code, string message) =>
        ProvisionResult.Failed(ProviderSupport.ServiceError("Amazon S3", status, code, message));
}
