using System.Collections.Concurrent;
using Amazon.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Core.Adoption;
using Portal.Core.Content;
using Portal.Core.Requests;
using Portal.Core.Workflow;

namespace Portal.Infrastructure.Content;

public sealed partial class ContentPublisher
{
    /// <summary>
    /// Carries an adopted site's content over into the portal's testing bucket: the objects of the bucket (under the
    /// origin path) recorded when the site was adopted are copied server-side (CopyObject) over the testing prefix,
    /// what else testing held is removed, the testing distribution is invalidated, and a version (source Adopted,
    /// naming the bucket) is recorded with an audit event. Refused, with nothing written, for a site that was not
    /// adopted, a bucket that is gone or that the portal may not read, objects beyond the limits an upload is held to,
    /// or content without the site's 404 page (or index.html in single-page mode).
    /// </summary>
    public async Task<ContentPublishResult> CopyAdoptedAsync(Guid requestId, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var target = await PrepareAsync(requestId, actor, ct);
        if (target.Problem is not null)
        {
            return new ContentPublishResult(null, target.Problem);
        }

        if (await AdoptedOriginAsync(requestId, ct) is not { } origin)
        {
            return new ContentPublishResult(null, new ContentProblem(ContentProblemKind.NotReady,
                "This site was not adopted from an existing bucket, so there is no adopted content to copy; upload its content instead.") { Code = RefusalCode.ConditionNotMet });
        }

        var source = AdoptedContent.Describe(origin);
        var limits = options.Value;
        IReadOnlyList<AdoptedObject> objects;
        try
        {
            objects = await store.ListObjectsAsync(origin.Bucket, origin.Prefix, limits.MaxFiles, ct);
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode == "NoSuchBucket")
        {
            return NotCopied($"The adopted bucket {origin.Bucket} no longer exists (S3 said NoSuchBucket); nothing was copied. Upload the site's content instead.");
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is "AccessDenied" or "AccessDeniedException" || ex.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return NotCopied($"The portal may not read the adopted bucket {origin.Bucket} (S3 said {ex.ErrorCode}); nothing was copied. Its role needs s3:ListBucket and "
                + "s3:GetObject on the bucket (name it in the bootstrap stack's AdoptableBuckets parameter), or the bucket is in another account.");
        }

        if (AdoptedContent.CheckLimits(objects, objects.Count <= limits.MaxFiles, source, limits) is { } beyond)
        {
            // The reasons an archive gets, answered 422: nothing was sent, so "payload too large" would not fit.
            var reason = beyond.Limit switch
            {
                AdoptedContentLimit.Empty => ContentRefusalReason.Empty,
                AdoptedContentLimit.TooManyFiles => ContentRefusalReason.TooManyFiles,
                _ => ContentRefusalReason.ExpandsTooFar,
            };
            LogRefused(_logger, requestId, reason, beyond.Message);
            return ContentPublishResult.Fail(ContentProblemKind.Refused, beyond.Message, reason);
        }

        if (MissingErrorPage(requestId, target.Site!, objects.Select(o => o.Path).ToList(), fromTesting: false, adoptedFrom: source) is { } missingPage)
        {
            return missingPage;
        }

        var leaseName = "content-" + requestId.ToString("N");
        var owner = $"{Environment.MachineName}-{Guid.NewGuid():N}";
        if (!await leases.TryAcquireAsync(leaseName, owner, LeaseDuration, ct))
        {
            return ContentPublishResult.Fail(ContentProblemKind.Conflict, "An upload to this site is in progress; try again when it has finished.");
        }

        try
        {
            var bucket = target.Bucket!;
            var prefix = ContentPrefixes.Testing(target.Site!.Host);
            var files = new ConcurrentBag<ContentFile>();
            await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = limits.UploadConcurrency, CancellationToken = ct }, async (item, token) =>
            {
                // Server-side copy: no byte passes through the portal on the way in; reading the copy back gives the manifest its SHA-256.
                var version = await store.CopyObjectAsync(origin.Bucket, origin.Prefix + item.Path, bucket, prefix + item.Path, token);
                files.Add(await store.DescribeAsync(bucket, prefix + item.Path, version, item.Path, token));
            });

            var wanted = objects.Select(o => prefix + o.Path).ToHashSet(StringComparer.Ordinal);
            var stale = (await store.ListCurrentAsync(bucket, prefix, ct)).Keys.Where(k => !wanted.Contains(k)).ToList();
            await store.DeleteAsync(bucket, stale, ct);

            var versionId = Guid.CreateVersion7(clock.GetUtcNow());
            var (invalidationId, warning) = await InvalidateTestingAsync(target.DistributionId!, versionId, ct);
            var manifest = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
            var recorded = await RecordAsync(target, manifest, "", actor, ContentSource.Adopted, versionId, target.DistributionId, invalidationId, ct, adoptedFrom: source);
            if (recorded.Succeeded)
            {
                LogAdoptedCopied(_logger, requestId, source, recorded.Version!.Number, manifest.Length, stale.Count);
            }

            return recorded with { Warning = warning };
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException)
        {
            LogAwsFailure(_logger, requestId, ex.Message);
            return ContentPublishResult.Fail(ContentProblemKind.AwsFailure,
                $"AWS refused or could not be reached while copying from the adopted bucket {source} ({ex.Message}). Testing may hold part of it; copy again.");
        }
        finally
        {
            await leases.ReleaseAsync(leaseName, owner, CancellationToken.None);
        }
    }

    /// <summary>The bucket (and path) a site adopted from a bucket was served from, as its copy's source names it; null for any other site.</summary>
    public async Task<string?> AdoptedFromAsync(Guid requestId, CancellationToken ct = default) =>
        await AdoptedOriginAsync(requestId, ct) is { } origin ? AdoptedContent.Describe(origin) : null;

    private async Task<OriginBucket?> AdoptedOriginAsync(Guid requestId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var adopted = await db.AuditEvents.AsNoTracking().Where(e => e.RequestId == requestId && e.Action == "Adopt").Select(e => e.Reason).FirstOrDefaultAsync(ct);
        return AdoptedContent.ReadOrigin(adopted);
    }

    private static ContentPublishResult NotCopied(string message) =>
        new(null, new ContentProblem(ContentProblemKind.NotReady, message) { Code = RefusalCode.ConditionNotMet });

    [LoggerMessage(Level = LogLevel.Information, Message = "Content of request {RequestId} copied from the adopted bucket {Source} as version {Number}: {Files} files, {Removed} removed")]
    private static partial void LogAdoptedCopied(ILogger logger, Guid requestId, string source, int number, int files, int removed);
}
