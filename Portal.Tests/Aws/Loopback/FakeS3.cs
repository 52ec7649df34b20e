using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Tests.Aws.Loopback;

/// <summary>S3 buckets with objects, listed a page at a time (ListObjectsV2) and copied server-side (CopyObject).</summary>
public sealed class FakeS3(TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, Obj>> _buckets = new(StringComparer.Ordinal);

    /// <summary>Copies actually made, per destination key.</summary>
    public Dictionary<string, int> Copies { get; } = new(StringComparer.Ordinal);

    public void Put(string bucket, string key, string content)
    {
        lock (_gate)
        {
            Bucket(bucket)[key] = Obj.Of(Encoding.UTF8.GetBytes(content), clock.GetUtcNow());
        }
    }

    public IReadOnlyDictionary<string, string> Objects(string bucket, string prefix)
    {
        lock (_gate)
        {
            return Bucket(bucket).Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(o => o.Key, o => Encoding.UTF8.GetString(o.Value.Content), StringComparer.Ordinal);
        }
    }

    public AwsResult Handle(string operation, Dictionary<string, object?> input)
    {
        lock (_gate)
        {
            var bucketName = input.Str("Bucket")!;
            if (!_buckets.TryGetValue(bucketName, out var bucket))
            {
                return AwsResult.Fail(404, "NoSuchBucket", "The specified bucket does not exist");
            }

            return operation switch
            {
                "ListObjectsV2" => List(bucketName, bucket, input),
                "CopyObject" => Copy(bucket, input),
                _ => AwsResult.Fail(400, "NotImplemented", $"The loopback endpoint does not implement {operation}."),
            };
        }
    }

    private static AwsResult List(string name, SortedDictionary<string, Obj> bucket, Dictionary<string, object?> input)
    {
        var prefix = input.Str("Prefix") ?? "";
        var max = int.TryParse(input.Str("MaxKeys"), out var m) ? Math.Min(m, 1000) : 1000;
        var after = input.Str("ContinuationToken") is { } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : input.Str("StartAfter");
        var keys = bucket.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && (after is null || string.CompareOrdinal(o.Key, after) > 0)).ToList();
        var page = keys.Take(max).ToList();
        var truncated = keys.Count > max;
        return AwsResult.Ok(Tree.Of(
            ("Name", name), ("Prefix", prefix), ("KeyCount", page.Count), ("MaxKeys", max), ("IsTruncated", truncated),
            ("ContinuationToken", input.Str("ContinuationToken")),
            ("NextContinuationToken", truncated ? Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Key)) : null),
            ("Contents", page.Count == 0 ? null : page.Select(o => (object?)Tree.Of(
                ("Key", o.Key), ("LastModified", o.Value.Modified), ("ETag", o.Value.ETag), ("Size", (long)o.Value.Content.Length),
                ("StorageClass", "STANDARD"))).ToList())));
    }

    private AwsResult Copy(SortedDictionary<string, Obj> bucket, Dictionary<string, object?> input)
    {
        var source = Uri.UnescapeDataString(input.Str("CopySource")!).TrimStart('/');
        var slash = source.IndexOf('/', StringComparison.Ordinal);
        var sourceBucket = source[..slash];
        var sourceKey = source[(slash + 1)..].Split("?versionId=")[0];
        if (!_buckets.TryGetValue(sourceBucket, out var from) || !from.TryGetValue(sourceKey, out var obj))
        {
            return AwsResult.Fail(404, "NoSuchKey", "The specified key does not exist.");
        }

        var key = input.Str("Key")!;
        var copy = obj with { Modified = clock.GetUtcNow() };
        bucket[key] = copy;
        Copies[key] = Copies.GetValueOrDefault(key) + 1;
        return AwsResult.Ok(Tree.Of(("CopyObjectResult", Tree.Of(("ETag", copy.ETag), ("LastModified", copy.Modified)))));
    }

    private SortedDictionary<string, Obj> Bucket(string name)
    {
        if (!_buckets.TryGetValue(name, out var bucket))
        {
            bucket = new SortedDictionary<string, Obj>(StringComparer.Ordinal);
            _buckets[name] = bucket;
        }

        return bucket;
    }

    private sealed record Obj(byte[] Content, string ETag, DateTimeOffset Modified)
    {
        // S3's ETag of a simple upload is the MD5 of the content; it is an identifier here, not a security measure.
#pragma warning disable CA5351
        public static Obj Of(byte[] content, DateTimeOffset at) =>
            new(content, "\"" + Convert.ToHexStringLower(MD5.HashData(content)) + "\"", at);
#pragma warning restore CA5351
    }
}
