namespace Portal.LocalCloud.Providers.S3;

/// <summary>Where buckets made by stacks live, so that S3 calls find them and deleting one sees what it holds.</summary>
public interface IBucketStore
{
    bool Exists(string bucket);

    void Create(string bucket);

    /// <summary>True when the bucket holds no object version and no delete marker.</summary>
    bool IsEmpty(string bucket);

    void Remove(string bucket);

    /// <summary>The bucket's policy as JSON text, null when it has none.</summary>
    string? Policy(string bucket);

    /// <summary>Replaces the bucket's policy; null removes it.</summary>
    void SetPolicy(string bucket, string? policy);

    /// <summary>How many noncurrent versions of each object the bucket's lifecycle keeps (null: its rule keeps none by count).</summary>
    void SetNewerNoncurrentVersions(string bucket, int? count);
}

/// <summary>The local cloud's S3 as the bucket store.</summary>
public sealed class S3ServiceBuckets(Portal.LocalCloud.S3.S3Service s3) : IBucketStore
{
    public bool Exists(string bucket) => s3.HasBucket(bucket);

    public void Create(string bucket) => s3.CreateBucket(bucket);

    public bool IsEmpty(string bucket) => s3.IsEmpty(bucket);

    public void Remove(string bucket) => s3.RemoveBucket(bucket);

    public string? Policy(string bucket) => s3.Policy(bucket);

    public void SetPolicy(string bucket, string? policy) => s3.SetPolicy(bucket, policy);

    public void SetNewerNoncurrentVersions(string bucket, int? count) => s3.SetNewerNoncurrentVersions(bucket, count);
}
