using System.Text.Json;

namespace Portal.Core.Content;

/// <summary>One file of a content version: its path in the site, size, SHA-256, the S3 version id it was stored as in testing, and its headers.</summary>
public sealed record ContentFile(string Path, long Size, string Sha256, string VersionId, string ContentType, string? CacheControl)
{
    /// <summary>Same bytes served the same way.</summary>
    public bool SameAs(ContentFile other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Sha256 == other.Sha256 && ContentType == other.ContentType && CacheControl == other.CacheControl;
    }
}

/// <summary>What changed between two content versions, by path (ordinal order).</summary>
public sealed record ContentDiff(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed)
{
    public static ContentDiff None { get; } = new([], [], []);

    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Removed.Count == 0;

    public string Summary => IsEmpty ? "no changes" : $"{Added.Count} added, {Changed.Count} changed, {Removed.Count} removed";

    /// <param name="from">The older files, or null when there were none.</param>
    public static ContentDiff Between(IEnumerable<ContentFile>? from, IEnumerable<ContentFile> to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var before = (from ?? []).ToDictionary(f => f.Path, StringComparer.Ordinal);
        var after = to.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var added = after.Keys.Where(p => !before.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        var removed = before.Keys.Where(p => !after.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        var changed = after.Values.Where(f => before.TryGetValue(f.Path, out var old) && !old.SameAs(f)).Select(f => f.Path).Order(StringComparer.Ordinal).ToList();
        return new ContentDiff(added, changed, removed);
    }
}

/// <summary>A manifest as stored: a JSON array of files, in path order.</summary>
public static class ContentManifest
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(IEnumerable<ContentFile> files) =>
        JsonSerializer.Serialize(files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(), Options);

    public static IReadOnlyList<ContentFile> Parse(string json) =>
        JsonSerializer.Deserialize<List<ContentFile>>(json, Options) ?? throw new InvalidOperationException("A stored content manifest is empty.");
}
