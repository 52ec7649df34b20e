using Microsoft.Extensions.Options;
using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFront;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Infrastructure.Content;

/// <summary>Key prefixes of a site's content in the content bucket, as the site stacks' origin paths read them.</summary>
public static class ContentPrefixes
{
    public static string Testing(string host) => $"testing/{host}/";

    public static string Production(string host) => $"production/{host}/";
}

public enum ContentProblemKind
{
    NotFound,
    Forbidden,

    /// <summary>The archive was refused; see <see cref="ContentProblem.Refusal"/>.</summary>
    Refused,

    /// <summary>The site cannot take content now (not deployed to testing, wrong kind, wrong state).</summary>
    NotReady,

    /// <summary>Another upload to the site is running, or the request changed meanwhile.</summary>
    Conflict,

    /// <summary>Plan-only mode: no AWS credentials.</summary>
    PlanOnly,

    /// <summary>AWS refused a call or could not be reached.</summary>
    AwsFailure,
}

/// <summary>Why content was not published, worded for the person who uploaded it.</summary>
public sealed record ContentProblem(ContentProblemKind Kind, string Message, ContentRefusalReason? Refusal = null)
{
    /// <summary>The workflow's refusal behind a rights or state problem.</summary>
    public RefusalCode? Code { get; init; }
}

/// <summary>A content version as lists and pages show it.</summary>
/// <param name="RestoredFrom">For a restored version, the number of the version whose objects it restored.</param>
public sealed record ContentVersionSummary(
    Guid Id, int Number, DateTimeOffset CreatedAt, string CreatedByName, ContentSource Source, int FileCount, long TotalBytes,
    int Added, int Changed, int Removed, string ArchiveSha256, int? RestoredFrom = null, string? AdoptedFrom = null)
{
    /// <summary>"content version 5", or "content version 5 (restored from 2)".</summary>
    public string Label => (RestoredFrom, AdoptedFrom) switch
    {
        ({ } from, _) => $"content version {Number} (restored from {from})",
        (_, { } bucket) => $"content version {Number} (adopted from bucket {bucket})",
        _ => $"content version {Number}",
    };

    public static ContentVersionSummary From(ContentVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.Id, version.Number, version.CreatedAt, version.CreatedByName, version.Source, version.FileCount, version.TotalBytes,
            version.Added, version.Changed, version.Removed, version.ArchiveSha256, version.RestoredFromNumber, version.AdoptedFrom);
    }
}

/// <summary>The outcome of an upload: the recorded version (perhaps with a warning), or the problem.</summary>
public sealed record ContentPublishResult(ContentVersionSummary? Version, ContentProblem? Problem, string? Warning = null)
{
    public bool Succeeded => Version is not null;

    public static ContentPublishResult Fail(ContentProblemKind kind, string message, ContentRefusalReason? refusal = null) =>
        new(null, new ContentProblem(kind, message, refusal));
}

public enum ContentPublishStage
{
    /// <summary>Bytes of the zip received (Done/Total in bytes; Total 0 when unknown).</summary>
    Receiving,
    Checking,
    Uploading,
    Removing,
    Invalidating,
    Recording,
}

public sealed record ContentPublishProgress(ContentPublishStage Stage, long Done, long Total);

/// <summary>
/// Publishes a site's content to its testing environment from a zip: checks the archive (nothing is written when it
/// is refused), stores each file under <c>testing/&lt;site&gt;/</c> with its Content-Type and the site's Cache-Control,
/// removes what the upload no longer has, invalidates the testing distribution, and records the content version (a
/// manifest of path, size, SHA-256 and S3 version id) with an audit event. One upload per site at a time, across replicas.
/// </summary>
public sealed partial class ContentPublisher(
    IDbContextFactory<PortalDbContext> dbFactory,
    IContentStore store,
    ICloudFrontClient cloudFront,
    AwsAccess access,
    WorkLeases leases,
    PortalStackSettings stackSettings,
    IOptions<ContentOptions> options,
    IOptions<DeploymentOptions> deploymentOptions,
    TimeProvider clock,
    ILogger<ContentPublisher>? logger = null)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(10);
    private const int LeaseRenewEvery = 200;
    private readonly ILogger _logger = logger ?? NullLogger<ContentPublisher>.Instance;

    public ContentOptions Options => options.Value;

    /// <summary>Why this person cannot upload content to this site now, or null when they can: checked before a file is chosen.</summary>
    public async Task<ContentProblem?> CheckAsync(Guid requestId, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return (await PrepareAsync(requestId, actor, ct)).Problem;
    }

    /// <summary>Receives a zip from a stream (the API's body, a browser upload), then publishes it.</summary>
    public async Task<ContentPublishResult> PublishAsync(
        Guid requestId, Stream zip, Actor actor, ContentSource source, IProgress<ContentPublishProgress>? progress = null, long expectedBytes = 0, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(actor);
        var target = await PrepareAsync(requestId, actor, ct);
        if (target.Problem is not null)
        {
            return new ContentPublishResult(null, target.Problem);
        }

        if (expectedBytes > options.Value.MaxUploadBytes)
        {
            return ContentPublishResult.Fail(ContentProblemKind.Refused,
                $"The upload is {ContentOptions.ExactBytes(expectedBytes)}; the limit is {ContentOptions.FormatBytes(options.Value.MaxUploadBytes)}.", ContentRefusalReason.TooLarge);
        }

        var received = progress is null ? null : new Progress<long>(bytes => progress.Report(new(ContentPublishStage.Receiving, bytes, expectedBytes)));
        using var area = StagingArea.Create(options.Value.StagingRoot);
        var (path, refusal) = await ContentArchive.SpoolAsync(zip, options.Value.MaxUploadBytes, area.Folder, received, ct);
        if (refusal is not null)
        {
            return ContentPublishResult.Fail(ContentProblemKind.Refused, refusal.Message, refusal.Reason);
        }

        return await PublishStagedAsync(requestId, path!, area.Folder, actor, source, progress, ct);
    }

    /// <summary>Publishes the zip at <paramref name="zipPath"/> (the caller keeps and deletes it).</summary>
    public async Task<ContentPublishResult> PublishFileAsync(
        Guid requestId, string zipPath, Actor actor, ContentSource source, IProgress<ContentPublishProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var area = StagingArea.Create(options.Value.StagingRoot);
        return await PublishStagedAsync(requestId, zipPath, area.Folder, actor, source, progress, ct);
    }

    private async Task<ContentPublishResult> PublishStagedAsync(
        Guid requestId, string zipPath, string stagingFolder, Actor actor, ContentSource source, IProgress<ContentPublishProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var target = await PrepareAsync(requestId, actor, ct);
        if (target.Problem is not null)
        {
            return new ContentPublishResult(null, target.Problem);
        }

        progress?.Report(new(ContentPublishStage.Checking, 0, 0));
        var prefix = ContentPrefixes.Testing(target.Site!.Host);
        var check = await Task.Run(() => ContentArchive.Check(zipPath, ContentLimits.From(options.Value, prefix), stagingFolder, ct), ct);
        if (check.Refusal is not null)
        {
            LogRefused(_logger, requestId, check.Refusal.Reason, check.Refusal.Message);
            return ContentPublishResult.Fail(ContentProblemKind.Refused, check.Refusal.Message, check.Refusal.Reason);
        }

        using var staged = check.Content!;

        // Publishing content without the page the site answers missing paths with would turn each of them into an
        // error CloudFront cannot serve; the form checks the setting against content, and this checks content against it.
        if (MissingErrorPage(requestId, target.Site!, staged.Files.Select(f => f.Path).ToList(), fromTesting: false) is { } missingPage)
        {
            return missingPage;
        }

        var leaseName = "content-" + requestId.ToString("N");
        var owner = $"{Environment.MachineName}-{Guid.NewGuid():N}";
        if (!await leases.TryAcquireAsync(leaseName, owner, LeaseDuration, ct))
        {
            return ContentPublishResult.Fail(ContentProblemKind.Conflict, "Another upload to this site is in progress; try again when it has finished.");
        }

        try
        {
            return await SyncAndRecordAsync(target, staged, prefix, actor, source, leaseName, owner, progress, ct);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException)
        {
            LogAwsFailure(_logger, requestId, ex.Message);
            return ContentPublishResult.Fail(ContentProblemKind.AwsFailure,
                $"AWS refused or could not be reached while publishing ({ex.Message}). Testing may hold part of this upload; upload the archive again.");
        }
        finally
        {
            await leases.ReleaseAsync(leaseName, owner, CancellationToken.None);
        }
    }

    private async Task<ContentPublishResult> SyncAndRecordAsync(
        Target target, StagedContent staged, string prefix, Actor actor, ContentSource source, string leaseName, string owner,
        IProgress<ContentPublishProgress>? progress, CancellationToken ct)
    {
        var bucket = target.Bucket!;
        // Files of the last version count as uploaded only where they are: a version in another bucket (recorded before
        // the environment had its own) is uploaded again.
        var previous = target.Previous is { } last && (last.Bucket ?? stackSettings.ContentBucketName) == bucket
            ? last.Files.ToDictionary(f => f.Path, StringComparer.Ordinal)
            : [];
        var current = await store.ListCurrentAsync(bucket, prefix, ct);
        var rules = CacheControlRules.Effective(target.Site!);

        // Pages last, so a page never goes live before the assets it references.
        var plan = staged.Files
            .Select(f => new { File = f, ContentType = ContentTypes.For(f.Path), CacheControl = CacheControlRules.For(f.Path, rules) })
            .OrderBy(p => p.ContentType.StartsWith("text/html", StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(p => p.File.Path, StringComparer.Ordinal)
            .ToList();
        var manifest = new ContentFile[plan.Count];
        var done = 0;
        var uploaded = 0;
        foreach (var phase in plan.Select((p, i) => (Plan: p, Index: i)).GroupBy(p => p.Plan.ContentType.StartsWith("text/html", StringComparison.Ordinal)))
        {
            await Parallel.ForEachAsync(phase, new ParallelOptions { MaxDegreeOfParallelism = options.Value.UploadConcurrency, CancellationToken = ct }, async (item, token) =>
            {
                var (p, index) = item;
                var key = prefix + p.File.Path;
                var file = new ContentFile(p.File.Path, p.File.Size, p.File.Sha256, "", p.ContentType, p.CacheControl);

                // Unchanged since the last version and still current in testing: that stored version is this file.
                if (previous.TryGetValue(p.File.Path, out var before) && before.SameAs(file) && current.TryGetValue(key, out var currentVersion) && currentVersion == before.VersionId)
                {
                    manifest[index] = before;
                }
                else
                {
                    var versionId = await store.PutAsync(bucket, new ContentPut(key, p.File.StagingFile, p.ContentType, p.CacheControl, p.File.Sha256), token);
                    manifest[index] = file with { VersionId = versionId };
                    Interlocked.Increment(ref uploaded);
                }

                var count = Interlocked.Increment(ref done);
                progress?.Report(new(ContentPublishStage.Uploading, count, plan.Count));
                if (count % LeaseRenewEvery == 0)
                {
                    await leases.TryAcquireAsync(leaseName, owner, LeaseDuration, token);
                }
            });
        }

        var wanted = manifest.Select(f => prefix + f.Path).ToHashSet(StringComparer.Ordinal);
        var stale = current.Keys.Where(k => !wanted.Contains(k)).ToList();
        progress?.Report(new(ContentPublishStage.Removing, 0, stale.Count));
        await store.DeleteAsync(bucket, stale, ct);

        var versionId = Guid.CreateVersion7(clock.GetUtcNow());
        progress?.Report(new(ContentPublishStage.Invalidating, 0, 1));
        var (invalidationId, warning) = await InvalidateTestingAsync(target.DistributionId!, versionId, ct);

        progress?.Report(new(ContentPublishStage.Recording, 0, 1));
        var recorded = await RecordAsync(target, manifest, staged.ArchiveSha256, actor, source, versionId, target.DistributionId, invalidationId, ct);
        if (recorded.Succeeded)
        {
            LogPublished(_logger, target.RequestId, recorded.Version!.Number, manifest.Length, uploaded, stale.Count);
        }

        return recorded with { Warning = warning };
    }

    /// <summary>Records the version and its audit event in one save; retried when another change to the request got in first.</summary>
    private async Task<ContentPublishResult> RecordAsync(
        Target target, ContentFile[] files, string archiveSha256, Actor actor, ContentSource source, Guid versionId, string? distributionId, string? invalidationId, CancellationToken ct,
        int? restoredFrom = null, string? adoptedFrom = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var request = await db.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).AsSplitQuery().SingleAsync(r => r.Id == target.RequestId, ct);
            var previous = await db.ContentVersions.AsNoTracking().Where(v => v.RequestId == target.RequestId).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
            var diff = ContentDiff.Between(previous?.Files, files);
            var now = clock.GetUtcNow();
            var number = (previous?.Number ?? 0) + 1;
            var version = ContentVersion.Create(versionId, target.RequestId, number, request.CurrentRevisionNumber, source, actor, now, files, archiveSha256, diff, distributionId, invalidationId, target.Bucket, restoredFrom, adoptedFrom);
            var summary = $"{files.Length} files, {ContentOptions.FormatBytes(version.TotalBytes)} ({diff.Summary})";
            var decision = request.RecordContentVersion(await Teams.TeamAccess.CompleteAsync(db, actor, ct), number, summary, source == ContentSource.Testing, now, restoredFrom, adoptedFrom);
            if (!decision.Allowed)
            {
                return ContentPublishResult.Fail(ContentProblemKind.NotReady, $"The files were uploaded to testing but not recorded: {decision.Reason}");
            }

            db.ContentVersions.Add(version);
            try
            {
                await db.SaveChangesAsync(ct);
                return new ContentPublishResult(ContentVersionSummary.From(version), null);
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                // The request changed (a workflow action, another version) between loading and saving: load again.
            }
        }
    }

    /// <summary>
    /// Records what testing holds now as a content version, for content a pipeline published with the deploy role:
    /// every current object under the testing prefix is read and hashed (objects whose S3 version the last version
    /// already lists are not read again). Nothing is written to S3.
    /// </summary>
    public async Task<ContentPublishResult> RecordTestingAsync(Guid requestId, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var target = await PrepareAsync(requestId, actor, ct);
        if (target.Problem is not null)
        {
            return new ContentPublishResult(null, target.Problem);
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
            var current = await store.ListCurrentAsync(bucket, prefix, ct);
            if (current.Count == 0)
            {
                return ContentPublishResult.Fail(ContentProblemKind.NotReady, "Testing holds no content to record.");
            }

            var previous = target.Previous is { } last && (last.Bucket ?? stackSettings.ContentBucketName) == bucket
                ? last.Files.ToDictionary(f => f.Path, StringComparer.Ordinal)
                : [];
            var files = new ConcurrentBag<ContentFile>();
            await Parallel.ForEachAsync(current, new ParallelOptions { MaxDegreeOfParallelism = options.Value.UploadConcurrency, CancellationToken = ct }, async (pair, token) =>
            {
                var path = pair.Key[prefix.Length..];
                files.Add(previous.TryGetValue(path, out var known) && known.VersionId == pair.Value
                    ? known
                    : await store.DescribeAsync(bucket, pair.Key, pair.Value, path, token));
            });

            var manifest = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
            var tooLarge = manifest.Where(f => f.Size > options.Value.MaxFileBytes).Select(f => f.Path).ToList();
            if (tooLarge.Count > 0)
            {
                // A pipeline can write larger objects in parts, but the copy to production copies each file in one request, which S3 caps at 5 GiB.
                return ContentPublishResult.Fail(ContentProblemKind.Refused,
                    $"Testing holds {tooLarge.Count} file(s) larger than {ContentOptions.FormatBytes(options.Value.MaxFileBytes)}, the most one file may be " +
                    $"({string.Join(", ", tooLarge.Take(5).Select(p => "'" + p + "'"))}{(tooLarge.Count > 5 ? ", ..." : "")}); nothing was recorded.",
                    ContentRefusalReason.TooLarge);
            }

            if (target.Previous is { } known && (known.Bucket ?? stackSettings.ContentBucketName) == bucket && known.Files.Count == manifest.Length && known.Files.Zip(manifest).All(p => p.First.Path == p.Second.Path && p.First.VersionId == p.Second.VersionId))
            {
                return new ContentPublishResult(ContentVersionSummary.From(known), null, $"Testing holds exactly content version {known.Number}; nothing new was recorded.");
            }

            // What a pipeline published is held to the rule an upload is: a version without the page the site answers
            // missing paths with is not recorded, so it can never be approved and copied to production.
            if (MissingErrorPage(requestId, target.Site, manifest.Select(f => f.Path).ToList(), fromTesting: true) is { } missingPage)
            {
                return missingPage;
            }

            return await RecordAsync(target, manifest, "", actor, ContentSource.Testing, Guid.CreateVersion7(clock.GetUtcNow()), null, null, ct);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException)
        {
            LogAwsFailure(_logger, requestId, ex.Message);
            return ContentPublishResult.Fail(ContentProblemKind.AwsFailure, $"AWS refused or could not be reached while reading testing ({ex.Message}).");
        }
        finally
        {
            await leases.ReleaseAsync(leaseName, owner, CancellationToken.None);
        }
    }

    /// <summary>
    /// Makes an earlier content version testing's content again: its exact objects (by S3 version id) are copied over
    /// the testing prefix, what it did not have is removed, the testing distribution is invalidated, and a new version
    /// (source Restored, naming the version it came from) is recorded. Refused, with nothing written, when the version
    /// is not restorable under the site's retention or one of its objects is no longer stored.
    /// </summary>
    public async Task<ContentPublishResult> RestoreAsync(Guid requestId, int number, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var target = await PrepareAsync(requestId, actor, ct);
        if (target.Problem is not null)
        {
            return new ContentPublishResult(null, target.Problem);
        }

        ContentVersion? chosen;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            chosen = await db.ContentVersions.AsNoTracking().SingleOrDefaultAsync(v => v.RequestId == requestId && v.Number == number, ct);
        }

        if (chosen is null)
        {
            return ContentPublishResult.Fail(ContentProblemKind.NotFound, $"This site has no content version {number}.");
        }

        var availability = ContentRetention.For(chosen.Number, chosen.Bucket, target.Previous!.Number, target.Bucket, target.Site!.KeepContentVersions);
        if (!availability.Restorable)
        {
            return ContentPublishResult.Fail(ContentProblemKind.NotReady, $"Content version {number} cannot be restored. {availability.Reason}");
        }

        // A version from before the site named its 404 page (or turned single-page mode on) may lack that page.
        if (MissingErrorPage(requestId, target.Site, chosen.Files.Select(f => f.Path).ToList(), fromTesting: false, restoring: number) is { } missingPage)
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
            var location = new ContentLocation(target.Bucket!, ContentPrefixes.Testing(target.Site.Host));
            var restored = await store.RestoreVersionsAsync(chosen.Bucket is { } bucket ? location with { Bucket = bucket } : location, location, chosen.Files, ct);
            if (restored.Missing.Count > 0)
            {
                return ContentPublishResult.Fail(ContentProblemKind.NotReady,
                    $"Content version {number} can no longer be restored: {restored.Missing.Count} of its {chosen.FileCount} files are no longer stored " +
                    $"({string.Join(", ", restored.Missing.Take(5))}{(restored.Missing.Count > 5 ? ", ..." : "")}). Testing was not changed.");
            }

            var versionId = Guid.CreateVersion7(clock.GetUtcNow());
            var (invalidationId, warning) = await InvalidateTestingAsync(target.DistributionId!, versionId, ct);

            var manifest = restored.Files.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
            var recorded = await RecordAsync(target, manifest, chosen.ArchiveSha256, actor, ContentSource.Restored, versionId, target.DistributionId, invalidationId, ct, restoredFrom: number);
            if (recorded.Succeeded)
            {
                LogRestored(_logger, requestId, number, recorded.Version!.Number, manifest.Length, restored.Removed);
            }

            return recorded with { Warning = warning };
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException)
        {
            LogAwsFailure(_logger, requestId, ex.Message);
            return ContentPublishResult.Fail(ContentProblemKind.AwsFailure,
                $"AWS refused or could not be reached while restoring content version {number} ({ex.Message}). Testing may hold part of it; restore it again.");
        }
        finally
        {
            await leases.ReleaseAsync(leaseName, owner, CancellationToken.None);
        }
    }

    /// <summary>
    /// The refusal of content that lacks the page the site's setting needs (its 404 page, or index.html in single-page
    /// mode), or null when it has it: the same rule and reason for an upload, for what a pipeline put in testing and for
    /// an earlier version restored to testing.
    /// </summary>
    private ContentPublishResult? MissingErrorPage(Guid requestId, SiteSpec site, IReadOnlyCollection<string> paths, bool fromTesting, int? restoring = null, string? adoptedFrom = null)
    {
        if (SiteErrorPages.CheckAgainstContent(site, paths) is not { } missing)
        {
            return null;
        }

        var (holds, outcome, add, addIndex) = (fromTesting, restoring) switch
        {
            _ when adoptedFrom is not null => ($"The adopted bucket {adoptedFrom} has", "nothing was copied", "Upload content with it instead", "Upload content with index.html instead"),
            (_, { } number) => ($"Content version {number} has", "nothing was restored", "Restore a version that has it, or upload content with it", "Restore a version with index.html"),
            (true, _) => ("Testing holds", "nothing was recorded", "Publish it to testing", "Publish index.html to testing"),
            _ => ("The upload has", "nothing was published", "Add it to the archive", "Add index.html"),
        };
        var message = site.SinglePageApplication
            ? $"{holds} no index.html, which single-page mode serves for every unknown path; {outcome}. {addIndex}, or turn single-page mode off in a new revision."
            : $"{holds} no {site.NotFoundPage}, the site's 404 page; {outcome}. {add} (paths are case-sensitive), or change the 404 page in a new revision first.";
        LogRefused(_logger, requestId, ContentRefusalReason.MissingErrorPage, missing.Message);
        return ContentPublishResult.Fail(ContentProblemKind.Refused, message, ContentRefusalReason.MissingErrorPage);
    }

    /// <param name="Bucket">The testing environment's content bucket (its stack's output; the shared bucket for a stack made before sites had their own).</param>
    private sealed record Target(Guid RequestId, SiteSpec? Site, string? DistributionId, ContentVersion? Previous, ContentProblem? Problem, string? Bucket = null);

    /// <summary>Everything that must hold before an upload is even read: the site, the person's rights, AWS access, a deployed testing distribution.</summary>
    private async Task<Target> PrepareAsync(Guid requestId, Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.Requests.AsNoTracking().Include(r => r.Revisions).SingleOrDefaultAsync(r => r.Id == requestId, ct);
        Target Problem(ContentProblemKind kind, string message) => new(requestId, null, null, null, new ContentProblem(kind, message));
        if (request is null)
        {
            return Problem(ContentProblemKind.NotFound, "No such site.");
        }

        // Team members may upload as the requester may: the memberships admins manage count as well as the provider's groups.
        var rights = request.CheckContentUpload(await Teams.TeamAccess.CompleteAsync(db, actor, ct));
        if (!rights.Allowed)
        {
            var kind = rights.Code is RefusalCode.NotAllowedInState or RefusalCode.Invalid ? ContentProblemKind.NotReady : ContentProblemKind.Forbidden;
            return new(requestId, null, null, null, new ContentProblem(kind, rights.Reason!) { Code = rights.Code });
        }

        var site = (SiteSpec)request.CurrentRevision.Spec;
        if (!site.Environments.Contains(DeploymentEnvironment.Testing))
        {
            return Problem(ContentProblemKind.NotReady, "This site has no testing environment, so content has nowhere to be checked before production.");
        }

        var status = await access.GetStatusAsync(ct);
        if (!status.CanDeploy)
        {
            return Problem(ContentProblemKind.PlanOnly, "The portal runs in plan-only mode (no AWS credentials), so content cannot be uploaded.");
        }

        var testing = await db.Stacks.AsNoTracking()
            .Where(s => s.RequestId == requestId && s.Kind == StackKind.Site && s.Environment == DeploymentEnvironment.Testing && !s.Deleted)
            .Select(s => s.OutputsJson).FirstOrDefaultAsync(ct);
        var outputs = testing is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(testing);
        if (outputs is null || !outputs.TryGetValue("DistributionId", out var distribution) || string.IsNullOrEmpty(distribution))
        {
            return Problem(ContentProblemKind.NotReady, "The testing site is not deployed yet; upload its content once the testing deployment has finished.");
        }

        if (!outputs.TryGetValue("ContentBucketName", out var bucket) || string.IsNullOrEmpty(bucket))
        {
            // A stack deployed before each environment had its own bucket: its template upgrade makes one and moves the content there.
            return Problem(ContentProblemKind.NotReady, "The testing site is moving to its own content bucket; upload its content once its template upgrade has been deployed to testing.");
        }

        var previous = await db.ContentVersions.AsNoTracking().Where(v => v.RequestId == requestId).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        return new Target(requestId, site, distribution, previous, null, bucket);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Content upload to request {RequestId} refused ({Reason}): {Message}")]
    private static partial void LogRefused(ILogger logger, Guid requestId, ContentRefusalReason reason, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Content version {Number} of request {RequestId} published: {Files} files, {Uploaded} uploaded, {Removed} removed")]
    private static partial void LogPublished(ILogger logger, Guid requestId, int number, int files, int uploaded, int removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Content version {From} of request {RequestId} restored to testing as version {Number}: {Files} files, {Removed} removed")]
    private static partial void LogRestored(ILogger logger, Guid requestId, int from, int number, int files, int removed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Content upload to request {RequestId} failed at AWS: {Problem}")]
    private static partial void LogAwsFailure(ILogger logger, Guid requestId, string problem);

    /// <summary>Invalidates the testing distribution after its files changed; a failure is a warning, not an error.</summary>
    private async Task<(string? InvalidationId, string? Warning)> InvalidateTestingAsync(string distributionId, Guid versionId, CancellationToken ct)
    {
        try
        {
            var created = await cloudFront.CreateInvalidationAsync(
                new CreateInvalidationRequest(distributionId, new InvalidationBatch(deploymentOptions.Value.InvalidationPaths, $"content-{versionId:N}")), ct);
            return (created.Invalidation.Id, null);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException)
        {
            // The files are in place; only the edge caches may serve older copies until their Cache-Control runs out.
            return (null, $"The testing distribution could not be invalidated ({ex.Message}); cached copies expire as their Cache-Control says.");
        }
    }
}
