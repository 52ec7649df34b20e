using Microsoft.EntityFrameworkCore;
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

/// <summary>One row of a site's content history, with where that version is live.</summary>
/// <param name="Restore">Whether the version can be made testing's content again, and why not.</param>
public sealed record ContentVersionRow(ContentVersionSummary Version, bool LiveInTesting, bool LiveInProduction, bool Approved, ContentRestorability? Restore = null)
{
    public bool Restorable => Restore?.Restorable == true;

    /// <summary>Older than the site keeps: its objects may be gone, so it is never offered.</summary>
    public bool Expired => Restore?.Availability is RestoreAvailability.Expired or RestoreAvailability.OtherBucket;
}

/// <summary>
/// Where a pipeline publishes the site's testing content: the S3 location, the distribution to invalidate, the role to
/// assume (if the site has one), and the <c>aws s3</c> commands that publish <c>./public</c> with the site's Cache-Control.
/// </summary>
public sealed record PipelineTarget(string TestingLocation, string? TestingDistributionId, string? DeployRoleArn)
{
    public IReadOnlyList<string> PublishCommands { get; init; } = [];
}

/// <summary>A site's content versions, newest first, which one each environment serves, and where a pipeline publishes.</summary>
public sealed record SiteContentView(
    IReadOnlyList<ContentVersionRow> Versions, ContentVersionSummary? Testing, ContentVersionSummary? Production, ContentVersionSummary? Approved,
    PipelineTarget? Pipeline = null);

/// <summary>
/// What an approver reviews about content: the version promotion will copy (pinned once promoted), the one live in
/// production, and the files added, changed and removed between them.
/// </summary>
public sealed record ContentApprovalView(ContentVersionSummary? Candidate, ContentVersionSummary? Live, ContentDiff Diff, bool Pinned)
{
    /// <summary>One sentence for the approval page.</summary>
    public string Explanation => (Candidate, Live) switch
    {
        (null, null) => "No content has been uploaded: production's content will stay empty.",
        (null, { } live) => $"No content has been uploaded since: production keeps content version {live.Number}.",
        ({ } c, { } live) when c.Id == live.Id => $"{Capital(c.Label)} is already live in production; promotion copies it again unchanged.",
        ({ } c, null) => $"Promotion copies {c.Label} ({c.FileCount} files) to production, which has none yet.",
        ({ } c, { } live) => $"Promotion copies {c.Label} over version {live.Number}: {Diff.Summary}.",
    };

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>Read-only views of a site's content for its page, the approval page and the API.</summary>
public sealed class ContentQueries(IDbContextFactory<PortalDbContext> dbFactory, Portal.Core.Templates.PortalStackSettings? stackSettings = null)
{
    public async Task<SiteContentView> VersionsAsync(Guid requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.ContentVersions.AsNoTracking().Where(v => v.RequestId == requestId)
            .Select(v => new { v.Id, v.Number, v.CreatedAt, v.CreatedByName, v.Source, v.FileCount, v.TotalBytes, v.Added, v.Changed, v.Removed, v.ArchiveSha256, v.RestoredFromNumber, v.Bucket, v.AdoptedFrom })
            .ToListAsync(ct);
        var summaries = versions
            .Select(v => new ContentVersionSummary(v.Id, v.Number, v.CreatedAt, v.CreatedByName, v.Source, v.FileCount, v.TotalBytes, v.Added, v.Changed, v.Removed, v.ArchiveSha256, v.RestoredFromNumber, v.AdoptedFrom))
            .OrderByDescending(v => v.Number).ToList();
        var buckets = versions.ToDictionary(v => v.Id, v => v.Bucket);
        var request = await db.Requests.AsNoTracking().Where(r => r.Id == requestId)
            .Select(r => new { r.State, r.ApprovedContentVersionId, r.Kind, r.PrimaryName, r.CurrentRevisionNumber }).SingleOrDefaultAsync(ct);
        var productionId = await LiveInProductionAsync(db, requestId, request?.State, ct);
        var testing = request?.State is RequestState.Decommissioned ? null : summaries.FirstOrDefault();
        var production = summaries.FirstOrDefault(v => v.Id == productionId);
        var approved = IsPinned(request?.State) ? summaries.FirstOrDefault(v => v.Id == request!.ApprovedContentVersionId) : null;
        var rows = summaries.Select(v => new ContentVersionRow(v, v.Id == testing?.Id, v.Id == production?.Id, v.Id == approved?.Id)).ToList();
        PipelineTarget? pipeline = null;
        if (request?.Kind == RequestKind.Site)
        {
            var outputsJson = await db.Stacks.AsNoTracking()
                .Where(s => s.RequestId == requestId && s.Kind == StackKind.Site && s.Environment == DeploymentEnvironment.Testing && !s.Deleted)
                .Select(s => s.OutputsJson).FirstOrDefaultAsync(ct);
            var outputs = outputsJson is null ? [] : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(outputsJson) ?? [];
            var prefix = ContentPrefixes.Testing(request.PrimaryName);
            var testingBucket = outputs.GetValueOrDefault("ContentBucketName") is { Length: > 0 } own ? own : null;
            var bucket = testingBucket ?? stackSettings?.ContentBucketName;
            var location = bucket is null ? prefix : $"s3://{bucket}/{prefix}";
            var revision = await db.Revisions.AsNoTracking().Where(v => v.RequestId == requestId && v.Number == request.CurrentRevisionNumber).SingleOrDefaultAsync(ct);

            // Which versions the site's retention still keeps: the current revision's count is what its buckets were given.
            var keep = revision?.Spec is SiteSpec kept ? kept.KeepContentVersions : ContentRetention.DefaultKeep;
            var latest = summaries.FirstOrDefault()?.Number ?? 0;
            rows = [.. rows.Select(r => r with { Restore = ContentRetention.For(r.Version.Number, buckets[r.Version.Id], latest, testingBucket, keep) })];
            var rules = revision?.Spec is SiteSpec site ? CacheControlRules.Effective(site) : StackRenderer.SeedCacheRules;
            pipeline = new PipelineTarget(location, outputs.GetValueOrDefault("DistributionId"), outputs.GetValueOrDefault("DeployRoleArn"))
            {
                PublishCommands = PipelineCacheCommands.For(rules, "./public", location),
            };
        }

        return new SiteContentView(rows, testing, production, approved, pipeline);
    }

    /// <summary>What promotion will copy and what changes against production; what the approval page shows.</summary>
    public async Task<ContentApprovalView> ApprovalAsync(Guid requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.Requests.AsNoTracking().Where(r => r.Id == requestId).Select(r => new { r.State, r.ApprovedContentVersionId }).SingleOrDefaultAsync(ct);
        if (request is null)
        {
            return new ContentApprovalView(null, null, ContentDiff.None, false);
        }

        var pinned = IsPinned(request.State);
        var candidate = pinned
            ? request.ApprovedContentVersionId is { } approved ? await db.ContentVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == approved, ct) : null
            : await db.ContentVersions.AsNoTracking().Where(v => v.RequestId == requestId).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        var liveId = await LiveInProductionAsync(db, requestId, request.State, ct);
        var live = liveId is null ? null : await db.ContentVersions.AsNoTracking().SingleAsync(v => v.Id == liveId, ct);
        var diff = candidate is null ? ContentDiff.None : ContentDiff.Between(live?.Files, candidate.Files);
        return new ContentApprovalView(
            candidate is null ? null : ContentVersionSummary.From(candidate), live is null ? null : ContentVersionSummary.From(live), diff, pinned);
    }

    /// <summary>The files of one version of a site, in path order; null when the site has no such version.</summary>
    public async Task<IReadOnlyList<ContentFile>?> FilesAsync(Guid requestId, Guid versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.ContentVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId && v.RequestId == requestId, ct);
        return version?.Files;
    }

    /// <summary>After promotion, until the production deployment ends, the approver's choice is what production is getting.</summary>
    private static bool IsPinned(RequestState? state) =>
        state is RequestState.Approved or RequestState.ProductionDeploying or RequestState.ProductionFailed;

    /// <summary>The version of the last production deployment that copied content and finished.</summary>
    private static async Task<Guid?> LiveInProductionAsync(PortalDbContext db, Guid requestId, RequestState? state, CancellationToken ct)
    {
        if (state is null or RequestState.Decommissioned)
        {
            return null;
        }

        var runs = await db.DeploymentRuns.AsNoTracking()
            .Where(r => r.RequestId == requestId && r.Environment == DeploymentEnvironment.Production && r.Status == RunStatus.Succeeded && r.ContentVersionId != null)
            .Select(r => new { r.ContentVersionId, r.FinishedAt }).ToListAsync(ct);
        return runs.OrderByDescending(r => r.FinishedAt).Select(r => r.ContentVersionId).FirstOrDefault();
    }
}
