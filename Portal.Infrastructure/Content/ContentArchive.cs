using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Infrastructure.Content;

/// <summary>The limits one archive is checked against; <see cref="MaxPathBytes"/> leaves room for the site's key prefix.</summary>
public sealed record ContentLimits(long MaxUploadBytes, int MaxFiles, long MaxExpandedBytes, int MaxPathBytes, long MaxFileBytes = ContentOptions.MaxS3ObjectCopyBytes)
{
    public static ContentLimits From(ContentOptions options, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        return new(options.MaxUploadBytes, options.MaxFiles, options.MaxExpandedBytes, ContentPath.MaxKeyBytes - System.Text.Encoding.UTF8.GetByteCount(keyPrefix), options.MaxFileBytes);
    }
}

public enum ContentRefusalReason
{
    TooLarge,
    TooManyFiles,
    ExpandsTooFar,
    UnsafePath,
    Link,
    SpecialFile,
    Duplicate,
    Encrypted,
    Corrupt,
    Empty,

    /// <summary>The site's missing-path setting needs a page (its 404 page, or index.html in single-page mode) the archive does not hold.</summary>
    MissingErrorPage,
}

/// <summary>Why an archive was refused, worded for the person who uploaded it.</summary>
public sealed record ContentRefusal(ContentRefusalReason Reason, string Message);

/// <summary>One file of a checked archive: its path in the site, its size and SHA-256 as actually decompressed, and where it waits on disk.</summary>
public sealed record StagedFile(string Path, long Size, string Sha256, string StagingFile);

/// <summary>A checked archive unpacked into a private folder, deleted on dispose.</summary>
public sealed class StagedContent : IDisposable
{
    internal StagedContent(string directory, IReadOnlyList<StagedFile> files, string archiveSha256, long archiveBytes)
    {
        Directory = directory;
        Files = files;
        ArchiveSha256 = archiveSha256;
        ArchiveBytes = archiveBytes;
    }

    public string Directory { get; }

    /// <summary>In ordinal path order.</summary>
    public IReadOnlyList<StagedFile> Files { get; }

    public long TotalBytes => Files.Sum(f => f.Size);

    public string ArchiveSha256 { get; }

    public long ArchiveBytes { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or held open a moment longer by the OS; the staging root is a temporary folder.
        }
    }
}

/// <summary>The outcome of checking an archive: its unpacked files, or the refusal (and then nothing is left behind).</summary>
public sealed record ArchiveCheck(StagedContent? Content, ContentRefusal? Refusal)
{
    public static ArchiveCheck Refused(ContentRefusalReason reason, string message) => new(null, new ContentRefusal(reason, message));
}

/// <summary>
/// Checks a site's zip before anything of it is published. Nothing in the archive is trusted: the entry count is
/// read from the end-of-central-directory record before the directory is parsed, every name is checked as a path,
/// links and device files are refused by their Unix mode in the external attributes, and every file is
/// decompressed, counted and hashed byte by byte, so a zip bomb stops at the expanded-size limit whatever its
/// headers claim. Files go to a private staging folder under names of their own (never the archive's names).
/// </summary>
public static class ContentArchive
{
    /// <summary>The folder macOS's archiver adds beside the content (resource forks); never part of a site.</summary>
    public const string MacOsMetadataFolder = "__MACOSX/";

    private const int UnixTypeMask = 0xF000;
    private const int UnixRegularFile = 0x8000;
    private const int UnixDirectory = 0x4000;
    private const int UnixSymbolicLink = 0xA000;
    private const int WindowsReparsePoint = 0x400;

    /// <summary>
    /// Copies an upload to a file in <paramref name="directory"/>, refusing it as soon as it passes
    /// <paramref name="maxBytes"/>; progress reports the bytes received so far.
    /// </summary>
    /// <returns>The file (the caller deletes it), or the refusal.</returns>
    public static async Task<(string? Path, ContentRefusal? Refusal)> SpoolAsync(
        Stream source, long maxBytes, string directory, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        StagingArea.CreatePrivateDirectory(directory);
        var path = Path.Combine(directory, "upload-" + Guid.NewGuid().ToString("N") + ".zip");
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            await using var target = new FileStream(path, StagingArea.PrivateFile(FileMode.CreateNew, FileAccess.Write, FileOptions.Asynchronous));
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    await target.DisposeAsync();
                    File.Delete(path);
                    return (null, new ContentRefusal(ContentRefusalReason.TooLarge,
                        $"The upload is larger than the limit of {ContentOptions.FormatBytes(maxBytes)}."));
                }

                await target.WriteAsync(buffer.AsMemory(0, read), ct);
                progress?.Report(total);
            }
        }
        catch
        {
            // The sender went away, the server's body limit cut it off, or the upload was cancelled: no file stays behind.
            File.Delete(path);
            throw;
        }

        return (path, null);
    }

    /// <summary>Checks the zip at <paramref name="zipPath"/> and unpacks it under <paramref name="stagingRoot"/>; never throws for a bad archive.</summary>
    public static ArchiveCheck Check(string zipPath, ContentLimits limits, string stagingRoot, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var archiveBytes = new FileInfo(zipPath).Length;
        if (archiveBytes > limits.MaxUploadBytes)
        {
            return ArchiveCheck.Refused(ContentRefusalReason.TooLarge,
                $"The archive is {ContentOptions.ExactBytes(archiveBytes)}; the limit is {ContentOptions.FormatBytes(limits.MaxUploadBytes)}.");
        }

        string archiveSha256;
        using (var file = File.OpenRead(zipPath))
        {
            archiveSha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        }

        var directory = Path.Combine(stagingRoot, "staged-" + Guid.NewGuid().ToString("N"));
        StagingArea.CreatePrivateDirectory(directory);
        var keep = false;
        try
        {
            var result = Unpack(zipPath, limits, directory, archiveSha256, archiveBytes, ct);
            keep = result.Content is not null;
            return result;
        }
        finally
        {
            if (!keep)
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static ArchiveCheck Unpack(string zipPath, ContentLimits limits, string directory, string archiveSha256, long archiveBytes, CancellationToken ct)
    {
        using var file = File.OpenRead(zipPath);
        var listed = ListedEntryCount(file);
        if (listed is null)
        {
            return ArchiveCheck.Refused(ContentRefusalReason.Corrupt, "The upload is not a zip archive (no end-of-central-directory record was found).");
        }

        // Folders are listed too; even allowing one per file, more entries than this cannot fit the file limit.
        if (listed > 2L * limits.MaxFiles)
        {
            return ArchiveCheck.Refused(ContentRefusalReason.TooManyFiles,
                $"The archive lists {listed.Value.ToString(CultureInfo.InvariantCulture)} entries; at most {limits.MaxFiles.ToString(CultureInfo.InvariantCulture)} files are allowed.");
        }

        file.Position = 0;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            return ArchiveCheck.Refused(ContentRefusalReason.Corrupt, $"The upload is not a readable zip archive: {ex.Message}");
        }

        using (archive)
        {
            IReadOnlyList<ZipArchiveEntry> entries;
            try
            {
                entries = archive.Entries;
            }
            catch (InvalidDataException ex)
            {
                return ArchiveCheck.Refused(ContentRefusalReason.Corrupt, $"The archive's directory is damaged: {ex.Message}");
            }

            var files = new List<(ZipArchiveEntry Entry, string Path)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var name = entry.FullName;
                var shown = ContentPath.Show(name);
                if (name.StartsWith(MacOsMetadataFolder, StringComparison.Ordinal))
                {
                    continue;
                }

                var pathProblem = ContentPath.Problem(name, limits.MaxPathBytes);
                if (pathProblem is not null)
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.UnsafePath, pathProblem);
                }

                var unixType = (entry.ExternalAttributes >> 16) & UnixTypeMask;
                if (unixType == UnixSymbolicLink || (entry.ExternalAttributes & WindowsReparsePoint) != 0)
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.Link, $"'{shown}' is a symbolic link; a site's archive may hold only files and folders.");
                }

                if (unixType is not (0 or UnixRegularFile or UnixDirectory))
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.SpecialFile,
                        $"'{shown}' is a {UnixTypeName(unixType)}; a site's archive may hold only files and folders.");
                }

                if (name.EndsWith('/') || unixType == UnixDirectory)
                {
                    continue;
                }

                if (entry.IsEncrypted)
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.Encrypted, $"'{shown}' is encrypted; upload an archive without a password.");
                }

                if (!seen.Add(name))
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.Duplicate, $"'{shown}' appears twice in the archive.");
                }

                files.Add((entry, name));
                if (files.Count > limits.MaxFiles)
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.TooManyFiles,
                        $"The archive holds more than {limits.MaxFiles.ToString(CultureInfo.InvariantCulture)} files, the limit.");
                }
            }

            if (files.Count == 0)
            {
                return ArchiveCheck.Refused(ContentRefusalReason.Empty, "The archive holds no files.");
            }

            var strip = CommonTopFolder(files.Select(f => f.Path).ToList());
            var staged = new List<StagedFile>(files.Count);
            long expanded = 0;
            var buffer = new byte[81920];
            for (var i = 0; i < files.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var (entry, path) = files[i];
                var target = Path.Combine(directory, i.ToString("x8", CultureInfo.InvariantCulture));
                long size = 0;
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var crc = new System.IO.Hashing.Crc32();
                try
                {
                    using var input = entry.Open();
                    using var output = new FileStream(target, StagingArea.PrivateFile(FileMode.CreateNew, FileAccess.Write));
                    int read;
                    while ((read = input.Read(buffer)) > 0)
                    {
                        size += read;
                        expanded += read;
                        if (expanded > limits.MaxExpandedBytes)
                        {
                            return ArchiveCheck.Refused(ContentRefusalReason.ExpandsTooFar,
                                $"The archive expands to more than {ContentOptions.FormatBytes(limits.MaxExpandedBytes)}, the limit (stopped while reading '{ContentPath.Show(path)}'); it was refused as a possible zip bomb.");
                        }

                        if (size > limits.MaxFileBytes)
                        {
                            return ArchiveCheck.Refused(ContentRefusalReason.TooLarge,
                                $"'{ContentPath.Show(path)}' expands to more than {ContentOptions.FormatBytes(limits.MaxFileBytes)}, the most one file may be.");
                        }

                        hash.AppendData(buffer, 0, read);
                        crc.Append(buffer.AsSpan(0, read));
                        output.Write(buffer, 0, read);
                    }
                }
                catch (InvalidDataException ex)
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.Corrupt, $"'{ContentPath.Show(path)}' is damaged in the archive: {ex.Message}");
                }
                catch (NotSupportedException ex)
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.Corrupt, $"'{ContentPath.Show(path)}' cannot be unpacked: {ex.Message}");
                }

                // The reader stops at the size the headers declare; a false size or damaged data shows as a CRC mismatch.
                if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
                {
                    return ArchiveCheck.Refused(ContentRefusalReason.Corrupt,
                        $"'{ContentPath.Show(path)}' is damaged in the archive: its content does not match its CRC-32 (the archive's headers may state a false size).");
                }

                staged.Add(new StagedFile(strip is null ? path : path[strip.Length..], size, Convert.ToHexStringLower(hash.GetHashAndReset()), target));
            }

            staged.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            return new ArchiveCheck(new StagedContent(directory, staged, archiveSha256, archiveBytes), null);
        }
    }

    /// <summary>
    /// Zipping a folder (<c>zip -r site.zip public</c>) puts every file under that folder's name: when all files share
    /// one top folder, none sits beside it and that folder holds the home page (<c>index.html</c>), it is the site's root.
    /// </summary>
    private static string? CommonTopFolder(IReadOnlyCollection<string> paths)
    {
        string? top = null;
        foreach (var path in paths)
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                return null;
            }

            var folder = path[..(slash + 1)];
            if (top is null)
            {
                top = folder;
            }
            else if (top != folder)
            {
                return null;
            }
        }

        return top is not null && paths.Contains(top + "index.html") ? top : null;
    }

    /// <summary>
    /// The number of entries the end-of-central-directory record (or its Zip64 form) announces, read from the end of
    /// the file without parsing the directory; null when there is no such record.
    /// </summary>
    private static long? ListedEntryCount(FileStream file)
    {
        const uint EndSignature = 0x06054b50;
        const uint Zip64LocatorSignature = 0x07064b50;
        const uint Zip64EndSignature = 0x06064b50;
        var length = file.Length;
        if (length < 22)
        {
            return null;
        }

        // The record is 22 bytes plus a comment of at most 65535 bytes.
        var tailLength = (int)Math.Min(length, 22 + 65535);
        var tail = new byte[tailLength];
        file.Position = length - tailLength;
        file.ReadExactly(tail);
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != EndSignature)
            {
                continue;
            }

            long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 10));
            if (count != 0xFFFF || i < 20)
            {
                return count;
            }

            var locator = tail.AsSpan(i - 20);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
            {
                return count;
            }

            var zip64EndOffset = BinaryPrimitives.ReadInt64LittleEndian(locator[8..]);
            if (zip64EndOffset < 0 || zip64EndOffset > length - 56)
            {
                return null;
            }

            var record = new byte[56];
            file.Position = zip64EndOffset;
            file.ReadExactly(record);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
            {
                return null;
            }

            var zip64Count = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
            return zip64Count > long.MaxValue ? long.MaxValue : (long)zip64Count;
        }

        return null;
    }

    private static string UnixTypeName(int type) => type switch
    {
        0x1000 => "named pipe",
        0x2000 => "character device file",
        0x6000 => "block device file",
        0xC000 => "socket",
        _ => "special file",
    };
}
