using System.Runtime.Versioning;
using System.Net;
using Microsoft.Data.Sqlite;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>
/// The SQLite database and its WAL files are readable by the portal's account only (0600, the data folder it creates
/// 0700), also when an earlier version left the file world-readable; the file is still in WAL mode.
/// </summary>
public sealed class DataFilePermissionsTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _parent = Directory.CreateTempSubdirectory("portal-data-modes-").FullName;

    private string Data => Path.Combine(_parent, "data");

    private string Database => Path.Combine(Data, "portal.db");

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task A_new_database_and_its_folder_are_private_and_in_wal_mode()
    {
        await StartAndUseAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Data));
        var files = new[] { Database, Database + "-wal", Database + "-shm" }.Where(File.Exists).ToList();
        Assert.Contains(Database, files);
        Assert.All(files, f => Assert.Equal(Private, File.GetUnixFileMode(f)));
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task A_world_readable_database_of_an_earlier_version_is_tightened_at_start()
    {
        await StartAndUseAsync();
        var readable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(Database, readable);

        await StartAndUseAsync();

        Assert.Equal(Private, File.GetUnixFileMode(Database));
    }

    private async Task StartAndUseAsync()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Database:DataDirectory"] = Data });
        using var client = portal.CreateClient();
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => Directory.Delete(_parent, recursive: true);
}
