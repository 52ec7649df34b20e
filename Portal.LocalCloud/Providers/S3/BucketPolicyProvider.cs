using System.Text.Json.Nodes;
using Portal.LocalCloud.CloudFormation;
using Portal.LocalCloud.Resources;

namespace Portal.LocalCloud.Providers.S3;

/// <summary>
/// <c>AWS::S3::BucketPolicy</c>: Ref is the bucket name. The bucket must exist, and the policy must be a JSON document
/// whose every resource is the bucket or objects in it. The policy is put on the bucket in S3, where PutBucketPolicy
/// can replace it outside CloudFormation and drift detection reads it back.
/// </summary>
internal sealed class BucketPolicyProvider(IBucketStore buckets) : IResourceProvider
{
    public string Type => "AWS::S3::BucketPolicy";

    public ProvisionResult Create(ProvisionContext context, JsonObject properties)
    {
        var bucket = properties.Str("Bucket") ?? "";
        return Check(bucket, properties) ?? Put(bucket, properties);
    }

    public ProvisionResult Update(ProvisionContext context, LiveResource current, JsonObject properties) =>
        Check(current.PhysicalId, properties) ?? Put(current.PhysicalId, properties);

    public string? Delete(ProvisionContext context, LiveResource current)
    {
        if (buckets.Exists(current.PhysicalId))
        {
            buckets.SetPolicy(current.PhysicalId, null);
        }

        return null;
    }

    /// <summary>The policy S3 holds now, in the form the template gave it (a JSON object or a JSON string); null when the bucket or its policy is gone.</summary>
    public JsonObject? Read(ProvisionContext context, LiveResource current)
    {
        if (!buckets.Exists(current.PhysicalId) || buckets.Policy(current.PhysicalId) is not { } policy)
        {
            return null;
        }

        var actual = (JsonObject)current.Properties.DeepClone();
        actual["PolicyDocument"] = current.Properties["PolicyDocument"] is JsonObject ? JsonNode.Parse(policy) : JsonValue.Create(policy);
        return actual;
    }

    private ProvisionResult Put(string bucket, JsonObject properties)
    {
        buckets.SetPolicy(bucket, ProviderSupport.PolicyDocument(properties["PolicyDocument"])!.ToJsonString());
        return ProvisionResult.Created(bucket);
    }

    private ProvisionResult? Check(string bucket, JsonObject properties)
    {
        if (!buckets.Exists(bucket))
        {
            return Fail(404, "NoSuchBucket", "The specified bucket does not exist");
        }

        return Portal.LocalCloud.S3.S3Service.PolicyProblem(bucket, ProviderSupport.PolicyDocument(properties["PolicyDocument"])) is { } problem
            ? Fail(400, "MalformedPolicy", problem)
            : null;
    }

    private static ProvisionResult Fail(int status, string code, string message) =>
        ProvisionResult.Failed(ProviderSupport.ServiceError("Amazon S3", status, code, message));
}
