using Amazon.S3;
using Amazon.S3.Model;

namespace Portal.Core.Aws;

/// <summary>What a prefix copy did.</summary>
public sealed record PrefixCopyResult(int ObjectsListed, int ObjectsCopied, long BytesCopied, IReadOnlyList<string> Failed);

/// <summary>Copies content between prefixes of a bucket, for promoting a site's testing content to production.</summary>
public interface IContentCopier
{
    Task<PrefixCopyResult> CopyPrefixAsync(string bucket, string sourcePrefix, string targetPrefix, CancellationToken ct = default);
}

/// <summary>
/// Server-side copy through AWSSDK.S3: every object under the source prefix (listed a page at a time) is copied
/// to the same relative key under the target prefix; no content passes through the portal.
/// </summary>
public sealed class S3ContentCopier(IAmazonS3 s3) : IContentCopier
{
    /// <summary>CopyObject's limit; bigger objects need a multipart copy, which site content does not.</summary>
    public const long MaxSingleCopyBytes = 5L * 1024 * 1024 * 1024;

    public async Task<PrefixCopyResult> CopyPrefixAsync(string bucket, string sourcePrefix, string targetPrefix, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentException.ThrowIfNullOrEmpty(sourcePrefix);
        ArgumentException.ThrowIfNullOrEmpty(targetPrefix);
        var listed = 0;
        var copied = 0;
        long bytes = 0;
        var failed = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = sourcePrefix };
        do
        {
            var page = await s3.ListObjectsV2Async(request, ct);
            foreach (var item in page.S3Objects ?? [])
            {
                listed++;
                var size = item.Size ?? 0;
                if (size > MaxSingleCopyBytes)
                {
                    failed.Add($"{item.Key}: larger than 5 GiB");
                    continue;
                }

                await s3.CopyObjectAsync(new CopyObjectRequest
                {
                    SourceBucket = bucket,
                    SourceKey = item.Key,
                    DestinationBucket = bucket,
                    DestinationKey = targetPrefix + item.Key[sourcePrefix.Length..],
                }, ct);
                copied++;
                bytes += size;
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        return new(listed, copied, bytes, failed);
    }
}
