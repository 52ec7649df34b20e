namespace Portal.Core.Content;

/// <summary>Where a content version came from.</summary>
public enum ContentSource
{
    /// <summary>A zip uploaded on the site's page.</summary>
    Upload,

    /// <summary>A zip sent to <c>POST /api/v1/sites/{id}/content</c> (a pipeline).</summary>
    Api,

    /// <summary>What testing held, read back from S3 after a pipeline published it with the deploy role.</summary>
    Testing,

    /// <summary>An earlier version's exact objects made testing's content again (see <see cref="ContentVersion.RestoredFromNumber"/>).</summary>
    Restored,

    /// <summary>The objects of a site's bucket from before the portal managed it, copied in (see <see cref="ContentVersion.AdoptedFrom"/>).</summary>
    Adopted,
}

/// <summary>
/// One upload of a site's content to testing, kept for good: the manifest of every file with the S3 version id it
/// was stored as, so exactly these bytes can be copied to production later even after testing has moved on. Never
/// changed after it is recorded.
/// </summary>
public sealed class ContentVersion
{
    private IReadOnlyList<ContentFile>? _files;

    private ContentVersion()
    {
    }

    public Guid Id { get; private set; }

    public Guid RequestId { get; private set; }

    /// <summary>1, 2, 3... per site.</summary>
    public int Number { get; private set; }

    /// <summary>The request revision whose settings (cache rules) the files were stored with.</summary>
    public int RevisionNumber { get; private set; }

    public ContentSource Source { get; private set; }

    public string CreatedById { get; private set; } = "";

    public string CreatedByName { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public int FileCount { get; private set; }

    public long TotalBytes { get; private set; }

    /// <summary>SHA-256 of the zip as uploaded; empty for a version recorded from testing.</summary>
    public string ArchiveSha256 { get; private set; } = "";

    /// <summary>Changes against the version before it.</summary>
    public int Added { get; private set; }

    public int Changed { get; private set; }

    public int Removed { get; private set; }

    /// <summary>The testing distribution invalidated after the upload, and the invalidation (null if it could not be made).</summary>
    public string? TestingDistributionId { get; private set; }

    public string? TestingInvalidationId { get; private set; }

    /// <summary>
    /// The bucket holding the version's objects (the testing environment's bucket when it was recorded); null for a
    /// version recorded while sites shared the shared stack's content bucket.
    /// </summary>
    public string? Bucket { get; private set; }

    public string ManifestJson { get; private set; } = "[]";

    /// <summary>For a <see cref="ContentSource.Restored"/> version, the number of the version whose objects it restored.</summary>
    public int? RestoredFromNumber { get; private set; }

    /// <summary>For an <see cref="ContentSource.Adopted"/> version, the bucket (and origin path) its objects were copied from.</summary>
    public string? AdoptedFrom { get; private set; }

    public IReadOnlyList<ContentFile> Files => _files ??= ContentManifest.Parse(ManifestJson);

    internal static ContentVersion Create(
        Guid id, Guid requestId, int number, int revision, ContentSource source, Workflow.Actor actor, DateTimeOffset now,
        IReadOnlyList<ContentFile> files, string archiveSha256, ContentDiff diff, string? distributionId, string? invalidationId, string? bucket,
        int? restoredFrom = null, string? adoptedFrom = null) => new()
    {
        Id = id,
        RequestId = requestId,
        Number = number,
        RevisionNumber = revision,
        Source = source,
        CreatedById = actor.Id,
        CreatedByName = actor.DisplayName,
        CreatedAt = now,
        FileCount = files.Count,
        TotalBytes = files.Sum(f => f.Size),
        ArchiveSha256 = archiveSha256,
        Added = diff.Added.Count,
        Changed = diff.Changed.Count,
        Removed = diff.Removed.Count,
        TestingDistributionId = distributionId,
        TestingInvalidationId = invalidationId,
        Bucket = bucket,
        ManifestJson = ContentManifest.Serialize(files),
        RestoredFromNumber = source == ContentSource.Restored ? restoredFrom : null,
        AdoptedFrom = source == ContentSource.Adopted ? adoptedFrom : null,
        _files = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
    };
}
