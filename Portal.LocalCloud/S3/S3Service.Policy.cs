using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.LocalCloud.S3;

/// <summary>
/// Bucket policies as S3 holds them: one JSON document per bucket, written by CloudFormation's
/// <c>AWS::S3::BucketPolicy</c> or by anyone calling PutBucketPolicy (which replaces the whole policy) and
/// DeleteBucketPolicy. The edge reads it to decide an origin read, and drift detection compares it with the template.
/// </summary>
public sealed partial class S3Service
{
    private readonly Dictionary<string, string> _policies = new(StringComparer.Ordinal);

    /// <summary>The bucket's policy document as JSON text, or null when it has none.</summary>
    public string? Policy(string bucket)
    {
        lock (_gate)
        {
            return _policies.GetValueOrDefault(bucket);
        }
    }

    /// <summary>Replaces the bucket's policy (null removes it), as CloudFormation's handler does.</summary>
    public void SetPolicy(string bucket, string? policy)
    {
        lock (_gate)
        {
            if (policy is null)
            {
                _policies.Remove(bucket);
            }
            else
            {
                _policies[bucket] = policy;
            }
        }
    }

    /// <summary>
    /// Why S3 refuses a policy for a bucket: not a JSON object, or a resource outside the bucket and its objects
    /// (<c>MalformedPolicy</c>, https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html); null when fine.
    /// </summary>
    public static string? PolicyProblem(string bucket, JsonObject? policy)
    {
        if (policy is null)
        {
            return "Policies must be valid JSON and the first byte must be '{'";
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
        return resources.All(r => r == own || r.StartsWith(own + "/", StringComparison.Ordinal)) ? null : "Policy has invalid resource";
    }

    private AwsResult PutPolicy(string bucket, Dictionary<string, object?> input)
    {
        JsonObject? policy;
        try
        {
            policy = input.Str("Policy") is { } text && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
        }
        catch (JsonException)
        {
            policy = null;
        }

        if (PolicyProblem(bucket, policy) is { } problem)
        {
            return AwsResult.Fail(400, "MalformedPolicy", problem);
        }

        _policies[bucket] = policy!.ToJsonString();
        return AwsResult.Ok();
    }

    private AwsResult DeletePolicy(string bucket)
    {
        _policies.Remove(bucket);
        return AwsResult.Ok();
    }
}
