using Microsoft.Data.Sqlite;

namespace Portal.Data;

/// <summary>
/// The SQLite database holds sessions' keys, secrets and everyone's requests: on Unix it is created readable by the
/// portal's account only (0600, its folder 0700), and a file an earlier version made world-readable is tightened.
/// SQLite gives the <c>-wal</c> and <c>-shm</c> files the main file's mode, so they follow.
/// </summary>
internal static class PrivateSqliteFile
{
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OthersAndGroup = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, FolderMode0700);
        }
    }

    /// <summary>Creates the database file 0600 in WAL mode (as EF Core would create it) when it does not exist, and tightens its files' modes.</summary>
    public static void Prepare(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (!File.Exists(path))
        {
            try
            {
                using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode0600 }))
                {
                }

                // An empty file is a database EF Core takes as existing, so it would not switch it to WAL as it does a file it creates.
                using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = 'wal';";
                command.ExecuteNonQuery();
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process (a replica's CLI) created it a moment earlier.
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & OthersAndGroup) != 0)
            {
                File.SetUnixFileMode(file, FileMode0600);
            }
        }
    }
}
