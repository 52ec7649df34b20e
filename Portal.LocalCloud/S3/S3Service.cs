using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.LocalCloud.S3;

/// <summary>One stored object as a test reads it back: the current version of a key.</summary>
public sealed record StoredObject(string Key, string VersionId, byte[] Content, string? ContentType, string? CacheControl)
{
    public string Text => Encoding.UTF8.GetString(Content);
}

/// <summary>
/// S3 buckets with versioning on, as the shared stack makes the content bucket: every write adds a version with its
/// own id, a delete without a version id adds a delete marker, older versions stay readable by id until
/// <see cref="ExpireNoncurrent"/> plays the bucket's lifecycle rule. Answers PutObject, CopyObject (with a source
/// version id), GetObject and HeadObject (by version id too), DeleteObject(s), ListObjectsV2 and ListObjectVersions;
/// checks the checksums a client sends.
/// </summary>
public sealed partial class S3Service(TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, List<Obj>>> _buckets = new(StringComparer.Ordinal);
    private long _versionCounter;

    /// <summary>Copies actually made, per destination key.</summary>
    public Dictionary<string, int> Copies { get; } = new(StringComparer.Ordinal);

    /// <summary>Calls that changed a bucket (put, copy, delete), by operation.</summary>
    public Dictionary<string, int> Writes { get; } = new(StringComparer.Ordinal);

    public int WriteCount
    {
        get
        {
            lock (_gate)
            {
                return Writes.Values.Sum();
            }
        }
    }

    /// <summary>Makes an empty bucket, as the shared stack makes the content bucket.</summary>
    public void CreateBucket(string bucket)
    {
        lock (_gate)
        {
            Bucket(bucket);
        }
    }

    /// <summary>The one bucket whose name starts with <paramref name="prefix"/> (a bucket CloudFormation named after its stack).</summary>
    public string BucketStartingWith(string prefix)
    {
        lock (_gate)
        {
            return _buckets.Keys.Single(b => b.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    public bool HasBucket(string bucket)
    {
        lock (_gate)
        {
            return _buckets.ContainsKey(bucket);
        }
    }

    /// <summary>True when the bucket holds no version of any key, delete markers included (S3 refuses to delete it otherwise).</summary>
    public bool IsEmpty(string bucket)
    {
        lock (_gate)
        {
            return !_buckets.TryGetValue(bucket, out var keys) || keys.Values.All(v => v.Count == 0);
        }
    }

    /// <summary>Removes a bucket with everything in it, as someone deleting it by hand outside the portal would.</summary>
    public void RemoveBucket(string bucket)
    {
        lock (_gate)
        {
            _buckets.Remove(bucket);
            _policies.Remove(bucket);
            _newerNoncurrentVersions.Remove(bucket);
        }
    }

    /// <summary>Puts an object directly, as another tool (a pipeline, the console) would; returns its version id.</summary>
    public string Put(string bucket, string key, string content, string? contentType = null, string? cacheControl = null)
    {
        lock (_gate)
        {
            return AddVersion(Bucket(bucket), key, Obj.Of(NextVersionId(), Encoding.UTF8.GetBytes(content), clock.GetUtcNow(), contentType, cacheControl)).VersionId;
        }
    }

    /// <summary>The current text of every live object under a prefix.</summary>
    public IReadOnlyDictionary<string, string> Objects(string bucket, string prefix) =>
        Current(bucket, prefix).ToDictionary(o => o.Key, o => o.Value.Text, StringComparer.Ordinal);

    /// <summary>The current version of every live object under a prefix.</summary>
    public IReadOnlyDictionary<string, StoredObject> Current(string bucket, string prefix)
    {
        lock (_gate)
        {
            return Bucket(bucket)
                .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && !o.Value[^1].IsDeleteMarker)
                .ToDictionary(o => o.Key, o => o.Value[^1].Stored(o.Key), StringComparer.Ordinal);
        }
    }

    /// <summary>How many versions (delete markers included) a key has.</summary>
    public int VersionCount(string bucket, string key)
    {
        lock (_gate)
        {
            return Bucket(bucket).TryGetValue(key, out var versions) ? versions.Count : 0;
        }
    }

    /// <summary>
    /// The bucket's lifecycle rule for noncurrent versions, run now as if their days had passed: every version that is
    /// not current is gone, but for the newest <c>NewerNoncurrentVersions</c> of each key when the bucket's rule has it.
    /// </summary>
    public void ExpireNoncurrent(string bucket)
    {
        lock (_gate)
        {
            var keep = _newerNoncurrentVersions.GetValueOrDefault(bucket);
            foreach (var versions in Bucket(bucket).Values)
            {
                versions.RemoveRange(0, Math.Max(0, versions.Count - 1 - keep));
            }
        }
    }

    private readonly Dictionary<string, int> _newerNoncurrentVersions = new(StringComparer.Ordinal);

    /// <summary>The <c>NewerNoncurrentVersions</c> of the bucket's noncurrent expiration rule (null: none, every noncurrent version expires).</summary>
    public void SetNewerNoncurrentVersions(string bucket, int? count)
    {
        lock (_gate)
        {
            if (count is { } kept)
            {
                _newerNoncurrentVersions[bucket] = kept;
            }
            else
            {
                _newerNoncurrentVersions.Remove(bucket);
            }
        }
    }

    public int? NewerNoncurrentVersions(string bucket)
    {
        lock (_gate)
        {
            return _newerNoncurrentVersions.TryGetValue(bucket, out var kept) ? kept : null;
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

            var result = operation switch
            {
                "ListObjectsV2" => List(bucketName, bucket, input),
                "ListObjectVersions" => ListVersions(bucketName, bucket, input),
                "PutObject" => PutObject(bucket, input),
                "CopyObject" => Copy(bucket, input),
                "HeadObject" => Head(bucket, input),
                "GetObject" => Get(bucket, input),
                "DeleteObject" => DeleteOne(bucket, input),
                "DeleteObjects" => DeleteMany(bucket, input),
                "PutBucketPolicy" => PutPolicy(bucketName, input),
                "DeleteBucketPolicy" => DeletePolicy(bucketName),
                _ => AwsResult.Fail(400, "NotImplemented", $"The loopback endpoint does not implement {operation}."),
            };
            if (result.Error is null && operation is "PutObject" or "CopyObject" or "DeleteObject" or "DeleteObjects" or "PutBucketPolicy" or "DeleteBucketPolicy")
            {
                Writes[operation] = Writes.GetValueOrDefault(operation) + 1;
            }

            return result;
        }
    }

    private static AwsResult List(string name, SortedDictionary<string, List<Obj>> bucket, Dictionary<string, object?> input)
    {
        var prefix = input.Str("Prefix") ?? "";
        var max = int.TryParse(input.Str("MaxKeys"), out var m) ? Math.Min(m, 1000) : 1000;
        var after = input.Str("ContinuationToken") is { } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : input.Str("StartAfter");
        var keys = bucket.Where(o => !o.Value[^1].IsDeleteMarker && o.Key.StartsWith(prefix, StringComparison.Ordinal) && (after is null || string.CompareOrdinal(o.Key, after) > 0)).ToList();
        var page = keys.Take(max).ToList();
        var truncated = keys.Count > max;
        return AwsResult.Ok(Tree.Of(
            ("Name", name), ("Prefix", prefix), ("KeyCount", page.Count), ("MaxKeys", max), ("IsTruncated", truncated),
            ("ContinuationToken", input.Str("ContinuationToken")),
            ("NextContinuationToken", truncated ? Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Key)) : null),
            ("Contents", page.Count == 0 ? null : page.Select(o => (object?)Tree.Of(
                ("Key", o.Key), ("LastModified", o.Value[^1].Modified), ("ETag", o.Value[^1].ETag), ("Size", (long)o.Value[^1].Content.Length),
                ("StorageClass", "STANDARD"))).ToList())));
    }

    /// <summary>Every version of every key under the prefix, keys in order and each key's newest first, a page at a time.</summary>
    private static AwsResult ListVersions(string name, SortedDictionary<string, List<Obj>> bucket, Dictionary<string, object?> input)
    {
        var prefix = input.Str("Prefix") ?? "";
        var max = int.TryParse(input.Str("MaxKeys"), out var m) ? Math.Clamp(m, 1, 1000) : 1000;
        var keyMarker = input.Str("KeyMarker");
        var versionMarker = input.Str("VersionIdMarker");
        var all = bucket.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
            .SelectMany(o => Enumerable.Range(0, o.Value.Count).Reverse().Select(i => (o.Key, Version: o.Value[i], IsLatest: i == o.Value.Count - 1)))
            .ToList();
        var start = 0;
        if (keyMarker is not null)
        {
            // After the marker: the rest of the marker key's versions past versionMarker, then later keys.
            start = all.FindIndex(v => string.CompareOrdinal(v.Key, keyMarker) > 0);
            if (versionMarker is not null)
            {
                var at = all.FindIndex(v => v.Key == keyMarker && v.Version.VersionId == versionMarker);
                if (at >= 0)
                {
                    start = at + 1;
                }
            }

            if (start < 0)
            {
                start = all.Count;
            }
        }

        var page = all.Skip(start).Take(max).ToList();
        var truncated = start + page.Count < all.Count;
        return AwsResult.Ok(Tree.Of(
            ("Name", name), ("Prefix", prefix), ("MaxKeys", max), ("IsTruncated", truncated),
            ("KeyMarker", keyMarker ?? ""), ("VersionIdMarker", versionMarker ?? ""),
            ("NextKeyMarker", truncated ? page[^1].Key : null),
            ("NextVersionIdMarker", truncated ? page[^1].Version.VersionId : null),
            ("Versions", page.Any(v => !v.Version.IsDeleteMarker) ? page.Where(v => !v.Version.IsDeleteMarker).Select(v => (object?)Tree.Of(
                ("ETag", v.Version.ETag), ("Size", (long)v.Version.Content.Length), ("StorageClass", "STANDARD"), ("Key", v.Key),
                ("VersionId", v.Version.VersionId), ("IsLatest", v.IsLatest), ("LastModified", v.Version.Modified))).ToList() : null),
            ("DeleteMarkers", page.Any(v => v.Version.IsDeleteMarker) ? page.Where(v => v.Version.IsDeleteMarker).Select(v => (object?)Tree.Of(
                ("Key", v.Key), ("VersionId", v.Version.VersionId), ("IsLatest", v.IsLatest), ("LastModified", v.Version.Modified))).ToList() : null)));
    }

    private AwsResult PutObject(SortedDictionary<string, List<Obj>> bucket, Dictionary<string, object?> input)
    {
        var content = input.TryGetValue("Body", out var body) && body is byte[] bytes ? bytes : [];
        if (input.Str("ContentLength") is { } length && length != content.Length.ToString(CultureInfo.InvariantCulture) && input.Str("ContentEncoding") is not "aws-chunked")
        {
            return AwsResult.Fail(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
        }

        var problem = ChecksumProblem(input, content);
        if (problem is not null)
        {
            return AwsResult.Fail(400, "BadDigest", problem);
        }

        var stored = AddVersion(bucket, input.Str("Key")!, Obj.Of(NextVersionId(), content, clock.GetUtcNow(), input.Str("ContentType"), input.Str("CacheControl")) with
        {
            ChecksumSha256 = input.Str("ChecksumSHA256"),
        });
        return AwsResult.Ok(Tree.Of(("ETag", stored.ETag), ("VersionId", stored.VersionId), ("ChecksumSHA256", stored.ChecksumSha256)));
    }

    private AwsResult Copy(SortedDictionary<string, List<Obj>> bucket, Dictionary<string, object?> input)
    {
        var source = input.Str("CopySource")!.TrimStart('/');
        var query = source.IndexOf("?versionId=", StringComparison.Ordinal);
        var versionId = query >= 0 ? source[(query + "?versionId=".Length)..] : null;
        source = query >= 0 ? source[..query] : source;
        var slash = source.IndexOf('/', StringComparison.Ordinal);
        var sourceBucket = source[..slash];
        var sourceKey = source[(slash + 1)..];
        if (!_buckets.TryGetValue(sourceBucket, out var from))
        {
            return AwsResult.Fail(404, "NoSuchKey", "The specified key does not exist.");
        }

        if (!from.TryGetValue(sourceKey, out var versions) || versions.Count == 0)
        {
            // A version id names one version: when it is gone (expired, or the key with it), S3 answers that the version does not exist.
            return versionId is null
                ? AwsResult.Fail(404, "NoSuchKey", "The specified key does not exist.")
                : AwsResult.Fail(404, "NoSuchVersion", "The specified version does not exist.");
        }

        var obj = versionId is null ? versions[^1] : versions.FirstOrDefault(v => v.VersionId == versionId);
        if (obj is null)
        {
            return AwsResult.Fail(404, "NoSuchVersion", "The specified version does not exist.");
        }

        if (obj.IsDeleteMarker)
        {
            return versionId is null
                ? AwsResult.Fail(404, "NoSuchKey", "The specified key does not exist.")
                : AwsResult.Fail(400, "InvalidRequest", "The source of a copy request may not specifically refer to a delete marker by version id.");
        }

        var key = input.Str("Key")!;
        var replace = input.Str("MetadataDirective") == "REPLACE";
        var copy = obj with
        {
            VersionId = NextVersionId(),
            Modified = clock.GetUtcNow(),
            ContentType = replace ? input.Str("ContentType") : obj.ContentType,
            CacheControl = replace ? input.Str("CacheControl") : obj.CacheControl,
        };
        AddVersion(bucket, key, copy);
        Copies[key] = Copies.GetValueOrDefault(key) + 1;
        return AwsResult.Ok(Tree.Of(
            ("CopyObjectResult", Tree.Of(("ETag", copy.ETag), ("LastModified", copy.Modified))),
            ("VersionId", copy.VersionId),
            ("CopySourceVersionId", obj.VersionId)));
    }

    private static AwsResult Head(SortedDictionary<string, List<Obj>> bucket, Dictionary<string, object?> input)
    {
        if (!bucket.TryGetValue(input.Str("Key")!, out var versions))
        {
            return AwsResult.Fail(404, "NotFound", "Not Found");
        }

        var versionId = input.Str("VersionId");
        var obj = versionId is null ? versions[^1] : versions.FirstOrDefault(v => v.VersionId == versionId);
        if (obj is null || obj.IsDeleteMarker)
        {
            return AwsResult.Fail(404, "NotFound", "Not Found");
        }

        return AwsResult.Ok(Tree.Of(
            ("ContentLength", obj.Content.Length.ToString(CultureInfo.InvariantCulture)),
            ("ETag", obj.ETag),
            ("VersionId", obj.VersionId),
            ("LastModified", obj.Modified.ToString("R", CultureInfo.InvariantCulture)),
            ("ContentType", obj.ContentType ?? "binary/octet-stream"),
            ("CacheControl", obj.CacheControl)));
    }

    private static AwsResult Get(SortedDictionary<string, List<Obj>> bucket, Dictionary<string, object?> input)
    {
        if (!bucket.TryGetValue(input.Str("Key")!, out var versions))
        {
            return AwsResult.Fail(404, "NoSuchKey", "The specified key does not exist.");
        }

        var versionId = input.Str("VersionId");
        var obj = versionId is null ? versions[^1] : versions.FirstOrDefault(v => v.VersionId == versionId);
        if (obj is null)
        {
            return AwsResult.Fail(404, "NoSuchVersion", "The specified version does not exist.");
        }

        if (obj.IsDeleteMarker)
        {
            return AwsResult.Fail(versionId is null ? 404 : 405, versionId is null ? "NoSuchKey" : "MethodNotAllowed", "The specified key does not exist.");
        }

        return AwsResult.Ok(Tree.Of(
            ("Body", obj.Content),
            ("ContentLength", obj.Content.Length.ToString(CultureInfo.InvariantCulture)),
            ("ETag", obj.ETag),
            ("VersionId", obj.VersionId),
            ("LastModified", obj.Modified.ToString("R", CultureInfo.InvariantCulture)),
            ("ContentType", obj.ContentType ?? "binary/octet-stream"),
            ("CacheControl", obj.CacheControl)));
    }

    private AwsResult DeleteOne(SortedDictionary<string, List<Obj>> bucket, Dictionary<string, object?> input)
    {
        var (marker, versionId) = Delete(bucket, input.Str("Key")!, input.Str("VersionId"));
        return AwsResult.Ok(Tree.Of(("DeleteMarker", marker ? "true" : null), ("VersionId", versionId)));
    }

    private AwsResult DeleteMany(SortedDictionary<string, List<Obj>> bucket, Dictionary<string, object?> input)
    {
        var delete = (Dictionary<string, object?>)input["Delete"]!;
        var objects = delete.List("Objects").Cast<Dictionary<string, object?>>().ToList();
        if (objects.Count > 1000)
        {
            return AwsResult.Fail(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
        }

        var quiet = delete.Str("Quiet") == "true";
        var deleted = new List<object?>();
        foreach (var o in objects)
        {
            var (marker, versionId) = Delete(bucket, o.Str("Key")!, o.Str("VersionId"));
            deleted.Add(Tree.Of(
                ("Key", o.Str("Key")), ("VersionId", o.Str("VersionId")),
                ("DeleteMarker", marker ? true : null), ("DeleteMarkerVersionId", marker ? versionId : null)));
        }

        return AwsResult.Ok(Tree.Of(("Deleted", quiet || deleted.Count == 0 ? null : deleted)));
    }

    /// <summary>Without a version id: a delete marker becomes current. With one: that version is gone for good.</summary>
    private (bool Marker, string? VersionId) Delete(SortedDictionary<string, List<Obj>> bucket, string key, string? versionId)
    {
        if (versionId is not null)
        {
            if (bucket.TryGetValue(key, out var versions))
            {
                versions.RemoveAll(v => v.VersionId == versionId);
                if (versions.Count == 0)
                {
                    bucket.Remove(key);
                }
            }

            return (false, versionId);
        }

        var marker = AddVersion(bucket, key, new Obj(NextVersionId(), [], "", clock.GetUtcNow(), null, null, true, null));
        return (true, marker.VersionId);
    }

    /// <summary>A checksum the client sent (in a header or a trailer) must match the bytes that arrived, as S3 checks it.</summary>
    private static string? ChecksumProblem(Dictionary<string, object?> input, byte[] content)
    {
        foreach (var (member, algorithm) in new[] { ("ChecksumSHA256", "SHA256"), ("ChecksumCRC32", "CRC32"), ("ChecksumCRC32C", "CRC32C"), ("ChecksumSHA1", "SHA1") })
        {
            if (input.Str(member) is { } sent && sent != Checksums.Base64(algorithm, content))
            {
                return $"The {algorithm} you specified did not match the calculated checksum.";
            }
        }

        return null;
    }

    private static Obj AddVersion(SortedDictionary<string, List<Obj>> bucket, string key, Obj version)
    {
        if (!bucket.TryGetValue(key, out var versions))
        {
            versions = [];
            bucket[key] = versions;
        }

        versions.Add(version);
        return version;
    }

    /// <summary>Opaque and unique, like S3's: a test cannot guess one from another.</summary>
    private string NextVersionId()
    {
        var n = Interlocked.Increment(ref _versionCounter);
        return Convert.ToBase64String(SHA256.HashData(BitConverter.GetBytes(n)))[..32].Replace('+', '.').Replace('/', '_');
    }

    private SortedDictionary<string, List<Obj>> Bucket(string name)
    {
        if (!_buckets.TryGetValue(name, out var bucket))
        {
            bucket = new SortedDictionary<string, List<Obj>>(StringComparer.Ordinal);
            _buckets[name] = bucket;
        }

        return bucket;
    }

    private sealed record Obj(string VersionId, byte[] Content, string ETag, DateTimeOffset Modified, string? ContentType, string? CacheControl, bool IsDeleteMarker, string? ChecksumSha256)
    {
        // S3's ETag of a simple upload is the MD5 of the content; it is an identifier here, not a security measure.
#pragma warning disable CA5351
        public static Obj Of(string versionId, byte[] content, DateTimeOffset at, string? contentType, string? cacheControl) =>
            new(versionId, content, "\"" + Convert.ToHexStringLower(MD5.HashData(content)) + "\"", at, contentType, cacheControl, false, null);
#pragma warning restore CA5351

        public StoredObject Stored(string key) => new(key, VersionId, Content, ContentType, CacheControl);
    }
}
