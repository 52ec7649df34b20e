namespace Portal.Core.Requests;

/// <summary>Whether a content version can be made testing's content again, and why not.</summary>
public enum RestoreAvailability
{
    /// <summary>Its objects are kept: restoring it is offered.</summary>
    Restorable,

    /// <summary>It is what testing holds now: there is nothing to restore.</summary>
    Current,

    /// <summary>Older than the site's retained count: its replaced objects may have been deleted by the bucket's lifecycle.</summary>
    Expired,

    /// <summary>Recorded in a bucket the testing environment no longer uses (the shared bucket, or a bucket since replaced).</summary>
    OtherBucket,
}

/// <summary>What the portal says of one version: the availability and a sentence for the page.</summary>
public sealed record ContentRestorability(RestoreAvailability Availability, string? Reason)
{
    public bool Restorable => Availability == RestoreAvailability.Restorable;
}

/// <summary>
/// How long a site's content versions stay restorable. The site stack's content bucket keeps, per object, the current
/// version and the <c>KeepContentVersions</c> newest noncurrent ones (S3 lifecycle <c>NewerNoncurrentVersions</c>);
/// older noncurrent versions are deleted once they have been noncurrent for <see cref="NoncurrentDays"/>. A content
/// version writes at most one new S3 version per key (an upload, a restore's copy, or a delete marker for a removed
/// file), so every object of a version at most <c>keep</c> versions behind the newest is still stored: those versions
/// are restorable, and the older ones are shown as expired and never offered, even while S3 still holds them.
/// </summary>
public static class ContentRetention
{
    public const int DefaultKeep = 10;

    public const int MinKeep = 1;

    /// <summary>S3's limit for <c>NewerNoncurrentVersions</c>.</summary>
    public const int MaxKeep = 100;

    /// <summary>Days a noncurrent version beyond the retained count is still kept (S3 requires days with a count).</summary>
    public const int NoncurrentDays = 7;

    /// <summary>The form's message when the count is out of bounds; null when it is within them.</summary>
    public static string? CheckKeep(int keep) =>
        keep is >= MinKeep and <= MaxKeep ? null : $"Keep between {MinKeep} and {MaxKeep} earlier content versions (S3 retains at most {MaxKeep}).";

    /// <summary>
    /// Whether version <paramref name="number"/> (stored in <paramref name="bucket"/>) can be restored, when
    /// <paramref name="latestNumber"/> is the site's newest version, testing uses <paramref name="testingBucket"/>, and
    /// the site keeps <paramref name="keep"/> earlier versions.
    /// </summary>
    public static ContentRestorability For(int number, string? bucket, int latestNumber, string? testingBucket, int keep)
    {
        if (number == latestNumber)
        {
            return new(RestoreAvailability.Current, "Testing holds this version now.");
        }

        if (latestNumber - number > keep)
        {
            return new(RestoreAvailability.Expired, $"No longer restorable: the site keeps its {keep} previous content versions, and this one is {latestNumber - number} behind.");
        }

        if (bucket is null || testingBucket is null || !string.Equals(bucket, testingBucket, StringComparison.Ordinal))
        {
            return new(RestoreAvailability.OtherBucket, "No longer restorable: it was stored in a content bucket testing no longer uses.");
        }

        return new(RestoreAvailability.Restorable, null);
    }
}
