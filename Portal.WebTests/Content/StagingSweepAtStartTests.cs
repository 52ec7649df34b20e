using Portal.Infrastructure.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>
/// At start the portal removes what uploads of a process that died left in the staging folder (a spooled zip, an
/// unpacked folder, a corner whose lock nobody holds), and leaves the corner of an upload still running elsewhere.
/// </summary>
public sealed class StagingSweepAtStartTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("portal-staging-sweep-").FullName;

    [Fact]
    public async Task Leftovers_of_a_crash_are_removed_and_a_running_upload_is_kept()
    {
        var looseZip = Path.Combine(_root, "upload-" + Guid.NewGuid().ToString("N") + ".zip");
        await File.WriteAllBytesAsync(looseZip, new byte[1024]);
        var unpacked = Directory.CreateDirectory(Path.Combine(_root, "staged-" + Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllTextAsync(Path.Combine(unpacked, "00000000"), "<h1>x</h1>");

        // What a process killed mid-upload leaves: its corner's folder and its lock file, which nobody holds any more.
        var abandoned = Directory.CreateDirectory(Path.Combine(_root, "upload-" + Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllBytesAsync(Path.Combine(abandoned, "upload-1.zip"), new byte[1024]);
        await File.WriteAllTextAsync(abandoned + ".lock", "");
        using var running = StagingArea.Create(_root);
        await File.WriteAllBytesAsync(Path.Combine(running.Folder, "upload-2.zip"), new byte[1024]);

        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Content:StagingDirectory"] = _root });
        using var client = portal.CreateClient();

        Assert.Equal(
            [Path.GetFileName(running.Folder), Path.GetFileName(running.Folder) + ".lock"],
            Directory.EnumerateFileSystemEntries(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(running.Folder, "upload-2.zip")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
