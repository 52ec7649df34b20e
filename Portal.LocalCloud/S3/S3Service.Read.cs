namespace Portal.LocalCloud.S3;

/// <summary>The current version of a key as an origin reader (the edge) sees it: what S3's GetObject returns.</summary>
public sealed record OriginObject(
    string Key,
    string VersionId,
    byte[] Content,
    string ContentType,
    string? CacheControl,
    string ETag,
    DateTimeOffset LastModified);

public sealed partial class S3Service
{
    /// <summary>
    /// The current version of <paramref name="key"/>, or null when the key has no version or its newest is a delete
    /// marker (GetObject's NoSuchKey) or the bucket does not exist. The content type defaults as S3's does.
    /// </summary>
    public OriginObject? Read(string bucket, string key)
    {
        lock (_gate)
        {
            if (!_buckets.TryGetValue(bucket, out var objects) || !objects.TryGetValue(key, out var versions) || versions[^1].IsDeleteMarker)
            {
                return null;
            }

            var current = versions[^1];
            return new OriginObject(key, current.VersionId, current.Content, current.ContentType ?? "binary/octet-stream",
                current.CacheControl, current.ETag, current.Modified);
        }
    }
}
