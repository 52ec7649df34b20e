using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Portal.Infrastructure.Aws;
using Portal.Core.Observability;
using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Infrastructure.Content;

/// <summary>A file to store: where it waits on disk, and what it is stored with.</summary>
public sealed record ContentPut(string Key, string FilePath, string ContentType, string? CacheControl, string Sha256);

/// <summary>What copying content to production did: objects copied (and their bytes) and stale objects removed, or what could not be copied.</summary>
public sealed record ContentCopyResult(int Copied, long BytesCopied, int Removed, IReadOnlyList<string> Missing);

/// <summary>
/// What restoring a version did: the files as stored now (each with the S3 version id its copy got) and the stale objects
/// removed, or the files whose versions are no longer stored (then nothing was written).
/// </summary>
public sealed record ContentRestoreResult(IReadOnlyList<ContentFile> Files, int Removed, IReadOnlyList<string> Missing);

/// <summary>A bucket and a key prefix in it.</summary>
public sealed record ContentLocation(string Bucket, string Prefix);

/// <summary>The content buckets, as content publishing and the copy to production use it (versioning on).</summary>
public interface IContentStore
{
    /// <summary>Stores a file; S3 checks the bytes against the SHA-256 checked in the archive. Returns the new version id.</summary>
    Task<string> PutAsync(string bucket, ContentPut file, CancellationToken ct = default);

    /// <summary>The current version id of every live object under a prefix (delete markers excluded).</summary>
    Task<IReadOnlyDictionary<string, string>> ListCurrentAsync(string bucket, string prefix, CancellationToken ct = default);

    /// <summary>Reads one stored version through, hashing it (nothing is kept), with the headers it is served with.</summary>
    Task<ContentFile> DescribeAsync(string bucket, string key, string versionId, string path, CancellationToken ct = default);

    /// <summary>Deletes the current versions of the keys (older versions stay, as versioning keeps them).</summary>
    Task DeleteAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken ct = default);

    /// <summary>
    /// Copies exactly the given versions from the source bucket and prefix to the target bucket and prefix, then removes
    /// what else sits under the target.
    /// </summary>
    Task<ContentCopyResult> CopyContentAsync(ContentLocation source, ContentLocation target, IReadOnlyList<ContentFile> files, CancellationToken ct = default);

    /// <summary>Deletes every object version and delete marker, so that CloudFormation can delete the bucket; a missing bucket is empty.</summary>
    Task<int> EmptyBucketAsync(string bucket, CancellationToken ct = default);

    /// <summary>
    /// Makes exactly the given stored versions the current objects under the target again: first checks that every one
    /// is still stored (nothing is written when one is not), then copies each by its version id over its key, then
    /// removes what else sits under the target. The answer's files carry the version ids the copies got.
    /// </summary>
    Task<ContentRestoreResult> RestoreVersionsAsync(ContentLocation source, ContentLocation target, IReadOnlyList<ContentFile> files, CancellationToken ct = default);

    /// <summary>
    /// The current objects under a prefix of a bucket the portal did not make (ListObjectsV2), paths relative to the
    /// prefix; stops after <paramref name="limit"/> + 1 objects, so an oversized bucket is not listed to its end.
    /// </summary>
    Task<IReadOnlyList<Core.Adoption.AdoptedObject>> ListObjectsAsync(string bucket, string prefix, int limit, CancellationToken ct = default);

    /// <summary>Copies one current object server-side (CopyObject, its metadata kept) and returns the version id the copy got.</summary>
    Task<string> CopyObjectAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken ct = default);
}

/// <summary>
/// The content bucket through AWSSDK.S3. Copying content to production is a server-side copy by version id, so no
/// byte passes through the portal and a file changed in testing since it was approved cannot slip into production.
/// Every call is counted in <c>portal.aws.calls</c> under its S3 API name (the SDK retries inside one call).
/// </summary>
public sealed class S3ContentStore(IAmazonS3 s3, PortalMetrics? metrics = null) : IContentStore
{
    /// <summary>CopyObject's limit; bigger objects need a multipart copy, which site content does not.</summary>
    public const long MaxSingleCopyBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>DeleteObjects takes at most this many keys per call.</summary>
    public const int DeleteBatch = 1000;

    private const int CopyConcurrency = 8;

    public async Task<string> PutAsync(string bucket, ContentPut file, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = file.Key,
            FilePath = file.FilePath,
            ContentType = file.ContentType,
            ChecksumSHA256 = Convert.ToBase64String(Convert.FromHexString(file.Sha256)),
        };
        if (file.CacheControl is not null)
        {
            request.Headers.CacheControl = file.CacheControl;
        }

        var response = await CountedAsync("PutObject", () => s3.PutObjectAsync(request, ct), ct);
        return response.VersionId ?? "null";
    }

    public async Task<IReadOnlyDictionary<string, string>> ListCurrentAsync(string bucket, string prefix, CancellationToken ct = default)
    {
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        var request = new ListVersionsRequest { BucketName = bucket, Prefix = prefix };
        while (true)
        {
            var page = await CountedAsync("ListObjectVersions", () => s3.ListVersionsAsync(request, ct), ct);
            foreach (var version in page.Versions ?? [])
            {
                if (version.IsLatest == true && version.IsDeleteMarker != true)
                {
                    current[version.Key] = version.VersionId ?? "null";
                }
            }

            if (page.IsTruncated != true)
            {
                return current;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    public async Task<ContentFile> DescribeAsync(string bucket, string key, string versionId, string path, CancellationToken ct = default)
    {
        using var response = await CountedAsync("GetObject", () => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, ct), ct);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await response.ResponseStream.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
        }

        return new ContentFile(path, size, Convert.ToHexStringLower(hash.GetHashAndReset()), response.VersionId ?? versionId,
            response.Headers.ContentType ?? ContentTypes.Fallback, response.Headers.CacheControl);
    }

    public async Task DeleteAsync(string bucket, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var batch in keys.Order(StringComparer.Ordinal).Chunk(DeleteBatch))
        {
            var response = await CountedAsync("DeleteObjects", () => s3.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = bucket,
                Quiet = true,
                Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
            }, ct), ct);
            if (response.DeleteErrors is { Count: > 0 } errors)
            {
                throw new AmazonS3Exception($"S3 could not delete {errors.Count} objects, e.g. {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
            }
        }
    }

    public async Task<ContentCopyResult> CopyContentAsync(ContentLocation source, ContentLocation target, IReadOnlyList<ContentFile> files, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(files);
        var missing = new List<string>();
        var copied = 0;
        long bytes = 0;
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = CopyConcurrency, CancellationToken = ct }, async (file, token) =>
        {
            if (file.Size > MaxSingleCopyBytes)
            {
                lock (missing)
                {
                    missing.Add($"{file.Path} (larger than 5 GiB)");
                }

                return;
            }

            try
            {
                await CountedAsync("CopyObject", () => s3.CopyObjectAsync(new CopyObjectRequest
                {
                    SourceBucket = source.Bucket,
                    SourceKey = source.Prefix + file.Path,
                    SourceVersionId = file.VersionId,
                    DestinationBucket = target.Bucket,
                    DestinationKey = target.Prefix + file.Path,
                    MetadataDirective = S3MetadataDirective.COPY,
                }, token), token);
                Interlocked.Increment(ref copied);
                Interlocked.Add(ref bytes, file.Size);
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode is "NoSuchVersion" or "NoSuchKey" || (ex.StatusCode == System.Net.HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket"))
            {
                // A missing bucket is not a missing file: it fails the copy as a whole, with AWS's reason.
                lock (missing)
                {
                    missing.Add(file.Path);
                }
            }
        });

        if (missing.Count > 0)
        {
            missing.Sort(StringComparer.Ordinal);
            return new ContentCopyResult(copied, bytes, 0, missing);
        }

        var wanted = files.Select(f => target.Prefix + f.Path).ToHashSet(StringComparer.Ordinal);
        var stale = (await ListCurrentAsync(target.Bucket, target.Prefix, ct)).Keys.Where(k => !wanted.Contains(k)).ToList();
        await DeleteAsync(target.Bucket, stale, ct);
        return new ContentCopyResult(copied, bytes, stale.Count, []);
    }

    public async Task<IReadOnlyList<Core.Adoption.AdoptedObject>> ListObjectsAsync(string bucket, string prefix, int limit, CancellationToken ct = default)
    {
        var objects = new List<Core.Adoption.AdoptedObject>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix.Length == 0 ? null : prefix };
        while (true)
        {
            var page = await CountedAsync("ListObjectsV2", () => s3.ListObjectsV2Async(request, ct), ct);
            foreach (var item in page.S3Objects ?? [])
            {
                // A "folder" placeholder (a key ending in '/') is no file of the site.
                if (!item.Key.EndsWith('/'))
                {
                    objects.Add(new(item.Key[prefix.Length..], item.Size ?? 0));
                }
            }

            if (objects.Count > limit || page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                return objects;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public async Task<string> CopyObjectAsync(string sourceBucket, string sourceKey, string targetBucket, string targetKey, CancellationToken ct = default)
    {
        var response = await CountedAsync("CopyObject", () => s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = sourceBucket,
            SourceKey = sourceKey,
            DestinationBucket = targetBucket,
            DestinationKey = targetKey,
            MetadataDirective = S3MetadataDirective.COPY,
        }, ct), ct);
        return response.VersionId ?? "null";
    }

    public async Task<ContentRestoreResult> RestoreVersionsAsync(ContentLocation source, ContentLocation target, IReadOnlyList<ContentFile> files, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(files);
        var missing = new List<string>();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = CopyConcurrency, CancellationToken = ct }, async (file, token) =>
        {
            try
            {
                await CountedAsync("HeadObject", () => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest
                {
                    BucketName = source.Bucket,
                    Key = source.Prefix + file.Path,
                    VersionId = file.VersionId,
                }, token), token);
            }
            catch (AmazonS3Exception ex) when (IsGone(ex))
            {
                lock (missing)
                {
                    missing.Add(file.Path);
                }
            }
        });

        if (missing.Count > 0)
        {
            missing.Sort(StringComparer.Ordinal);
            return new ContentRestoreResult([], 0, missing);
        }

        var restored = new ContentFile[files.Count];
        await Parallel.ForEachAsync(files.Select((f, i) => (File: f, Index: i)), new ParallelOptions { MaxDegreeOfParallelism = CopyConcurrency, CancellationToken = ct }, async (item, token) =>
        {
            var response = await CountedAsync("CopyObject", () => s3.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = source.Bucket,
                SourceKey = source.Prefix + item.File.Path,
                SourceVersionId = item.File.VersionId,
                DestinationBucket = target.Bucket,
                DestinationKey = target.Prefix + item.File.Path,
                MetadataDirective = S3MetadataDirective.COPY,
            }, token), token);
            restored[item.Index] = item.File with { VersionId = response.VersionId ?? "null" };
        });

        var wanted = files.Select(f => target.Prefix + f.Path).ToHashSet(StringComparer.Ordinal);
        var stale = (await ListCurrentAsync(target.Bucket, target.Prefix, ct)).Keys.Where(k => !wanted.Contains(k)).ToList();
        await DeleteAsync(target.Bucket, stale, ct);
        return new ContentRestoreResult(restored, stale.Count, []);
    }

    /// <summary>A stored version that is not there any more: S3 answers a HEAD of it with 404 (no body, so no code), a copy with NoSuchVersion.</summary>
    private static bool IsGone(AmazonS3Exception ex) =>
        ex.ErrorCode is "NoSuchVersion" or "NoSuchKey" or "MethodNotAllowed" || (ex.StatusCode == System.Net.HttpStatusCode.NotFound && ex.ErrorCode != "NoSuchBucket")
        || ex.StatusCode == System.Net.HttpStatusCode.MethodNotAllowed;

    public async Task<int> EmptyBucketAsync(string bucket, CancellationToken ct = default)
    {
        var deleted = 0;
        var request = new ListVersionsRequest { BucketName = bucket };
        while (true)
        {
            ListVersionsResponse page;
            try
            {
                page = await CountedAsync("ListObjectVersions", () => s3.ListVersionsAsync(request, ct), ct);
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode == "NoSuchBucket")
            {
                return deleted;
            }

            var versions = (page.Versions ?? []).Select(v => new KeyVersion { Key = v.Key, VersionId = v.VersionId }).ToList();
            foreach (var batch in versions.Chunk(DeleteBatch))
            {
                var response = await CountedAsync("DeleteObjects", () => s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Quiet = true,
                    Objects = batch.ToList(),
                }, ct), ct);
                if (response.DeleteErrors is { Count: > 0 } errors)
                {
                    throw new AmazonS3Exception($"S3 could not delete {errors.Count} object versions, e.g. {errors[0].Key}: {errors[0].Code} {errors[0].Message}");
                }

                deleted += batch.Length;
            }

            if (page.IsTruncated != true)
            {
                return deleted;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    private async Task<T> CountedAsync<T>(string operation, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            var response = await call();
            metrics?.AwsCall("s3", operation, AwsCallOutcome.Success);
            return response;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or OperationCanceledException)
        {
            metrics?.AwsCall("s3", operation, AwsCallOutcome.Of(ex));
            throw;
        }
    }
}
