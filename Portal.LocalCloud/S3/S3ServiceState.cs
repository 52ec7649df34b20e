using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.LocalCloud.S3;

/// <summary>
/// The buckets on disk, so a sandbox keeps its sites across restarts: <c>index.json</c> lists every bucket, key and
/// version with its metadata, and each content is one file under <c>blobs/</c> named by its SHA-256 (versions with the
/// same bytes share it). Saving writes the index last, through a temporary file, so a crash mid-save leaves the
/// previous state readable.
/// </summary>
public sealed partial class S3Service
{
    private static readonly JsonSerializerOptions StateJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void SaveState(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var blobs = Path.Combine(directory, "blobs");
        Directory.CreateDirectory(blobs);
        SavedBuckets saved;
        lock (_gate)
        {
            var buckets = new Dictionary<string, Dictionary<string, List<SavedVersion>>>(StringComparer.Ordinal);
            foreach (var (name, keys) in _buckets)
            {
                var savedKeys = new Dictionary<string, List<SavedVersion>>(StringComparer.Ordinal);
                foreach (var (key, versions) in keys)
                {
                    savedKeys[key] = versions.Select(v => new SavedVersion(v.VersionId, WriteBlob(blobs, v.Content), v.ETag, v.Modified,
                        v.ContentType, v.CacheControl, v.IsDeleteMarker, v.ChecksumSha256)).ToList();
                }

                buckets[name] = savedKeys;
            }

            saved = new SavedBuckets(_versionCounter, buckets) {
                Policies = new Dictionary<string, string>(_policies, StringComparer.Ordinal),
                NewerNoncurrentVersions = new Dictionary<string, int>(_newerNoncurrentVersions, StringComparer.Ordinal),
            };
        }

        var index = Path.Combine(directory, "index.json");
        var temporary = index + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(saved, StateJson));
        File.Move(temporary, index, overwrite: true);
        RemoveUnusedBlobs(blobs, saved);
    }

    /// <summary>Replaces everything held with what <see cref="SaveState"/> wrote; nothing when the folder has no saved state.</summary>
    public bool RestoreState(string directory)
    {
        var index = Path.Combine(directory, "index.json");
        if (!File.Exists(index))
        {
            return false;
        }

        var saved = JsonSerializer.Deserialize<SavedBuckets>(File.ReadAllBytes(index), StateJson)
            ?? throw new InvalidDataException($"{index} holds no saved buckets.");
        var blobs = Path.Combine(directory, "blobs");
        lock (_gate)
        {
            _buckets.Clear();
            foreach (var (name, keys) in saved.Buckets)
            {
                var bucket = new SortedDictionary<string, List<Obj>>(StringComparer.Ordinal);
                foreach (var (key, versions) in keys)
                {
                    bucket[key] = versions.Select(v => new Obj(v.VersionId, v.Blob is null ? [] : File.ReadAllBytes(Path.Combine(blobs, v.Blob)),
                        v.ETag, v.Modified, v.ContentType, v.CacheControl, v.DeleteMarker, v.ChecksumSha256)).ToList();
                }

                _buckets[name] = bucket;
            }

            _versionCounter = saved.VersionCounter;
            _policies.Clear();
            foreach (var (bucket, policy) in saved.Policies ?? [])
            {
                _policies[bucket] = policy;
            }

            _newerNoncurrentVersions.Clear();
            foreach (var (bucket, kept) in saved.NewerNoncurrentVersions ?? [])
            {
                _newerNoncurrentVersions[bucket] = kept;
            }
        }

        return true;
    }

    private static string? WriteBlob(string blobs, byte[] content)
    {
        if (content.Length == 0)
        {
            return null;
        }

        var name = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = Path.Combine(blobs, name);
        if (!File.Exists(path))
        {
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }

        return name;
    }

    private static void RemoveUnusedBlobs(string blobs, SavedBuckets saved)
    {
        var used = saved.Buckets.Values.SelectMany(k => k.Values).SelectMany(v => v).Select(v => v.Blob).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(blobs))
        {
            if (!used.Contains(Path.GetFileName(file)))
            {
                File.Delete(file);
            }
        }
    }

    private sealed record SavedBuckets(long VersionCounter, Dictionary<string, Dictionary<string, List<SavedVersion>>> Buckets)
    {
        /// <summary>Bucket policies by bucket; absent in states saved before policies were kept.</summary>
        public Dictionary<string, string>? Policies { get; init; }

        /// <summary>The lifecycle's retained noncurrent versions by bucket; absent in states saved before they were kept.</summary>
        public Dictionary<string, int>? NewerNoncurrentVersions { get; init; }
    }

    private sealed record SavedVersion(string VersionId, string? Blob, string ETag, DateTimeOffset Modified, string? ContentType, string? CacheControl,
        bool DeleteMarker, string? ChecksumSha256);
}
