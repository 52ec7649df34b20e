namespace Portal.Infrastructure.Content;

/// <summary>
/// One upload's private corner of the staging folder: a folder <c>upload-&lt;id&gt;</c> for the spooled zip and its
/// unpacked files, and beside it <c>upload-&lt;id&gt;.lock</c>, held open exclusively for as long as the upload runs.
/// Disposing removes both, however the upload ended (published, refused, cut off, cancelled, failed). What a
/// process that died leaves behind is removed by <see cref="Sweep"/> at the next start: a corner whose lock nobody
/// holds has no owner any more, while corners of uploads that other processes sharing the folder are running stay.
/// On Unix folders are made 0700 and files 0600: uploads are not for other accounts on the machine to read.
/// </summary>
public sealed class StagingArea : IDisposable
{
    public const UnixFileMode PrivateFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const string Prefix = "upload-";
    private const string LockSuffix = ".lock";

    private readonly FileStream _lock;

    private StagingArea(string folder, FileStream held)
    {
        Folder = folder;
        _lock = held;
    }

    /// <summary>The corner's folder (created, mode 0700).</summary>
    public string Folder { get; }

    /// <summary>Takes a new corner of <paramref name="root"/>, creating the root (mode 0700) when it does not exist.</summary>
    public static StagingArea Create(string root)
    {
        CreatePrivateDirectory(root);
        var name = Prefix + Guid.NewGuid().ToString("N");

        // The lock comes first: a folder without a held lock beside it is never one being set up, so a sweep may remove it.
        var held = new FileStream(Path.Combine(root, name + LockSuffix), PrivateFile(FileMode.CreateNew, FileAccess.ReadWrite, FileOptions.DeleteOnClose));
        try
        {
            var folder = Path.Combine(root, name);
            CreatePrivateDirectory(folder);
            return new StagingArea(folder, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes what no running upload owns: corners whose lock is free or gone, and the loose <c>upload-*.zip</c> and
    /// <c>staged-*</c> entries that versions before these corners left. Returns how many entries were removed.
    /// </summary>
    public static int Sweep(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(root))
        {
            var name = Path.GetFileName(entry);
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(LockSuffix, StringComparison.Ordinal))
            {
                if (!IsHeld(entry) && TryDelete(entry))
                {
                    removed++;
                }
            }
            else if (Directory.Exists(entry) && name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                if (!IsHeld(entry + LockSuffix) && TryDelete(entry))
                {
                    removed++;
                }
            }
            else if ((name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".zip", StringComparison.Ordinal))
                || name.StartsWith("staged-", StringComparison.Ordinal))
            {
                if (TryDelete(entry))
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>Options for a file only its owner may read and write (0600 on Unix).</summary>
    public static FileStreamOptions PrivateFile(FileMode mode, FileAccess access, FileOptions options = FileOptions.None)
    {
        var fileOptions = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, Options = options, BufferSize = 81920 };
        if (!OperatingSystem.IsWindows() && mode is FileMode.CreateNew or FileMode.Create or FileMode.OpenOrCreate)
        {
            fileOptions.UnixCreateMode = PrivateFileMode;
        }

        return fileOptions;
    }

    /// <summary>Creates <paramref name="path"/> as a folder only its owner may enter (0700 on Unix); an existing folder is left as it is.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateFolderMode);
        }
    }

    public void Dispose()
    {
        // The folder goes while the lock is still held, so no sweep sees a folder of a corner in use as abandoned.
        TryDelete(Folder);
        _lock.Dispose();
    }

    private static bool IsHeld(string lockFile)
    {
        try
        {
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            // Locked by the process running that upload.
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to judge (another account's corner): left alone.
            return true;
        }
    }

    private static bool TryDelete(string entry)
    {
        try
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Removed by another process's sweep meanwhile, or not ours: nothing more to do here.
            return false;
        }
    }
}
