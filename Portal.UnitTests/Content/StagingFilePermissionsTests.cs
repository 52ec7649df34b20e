using System.Runtime.Versioning;
using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Tests.Content;

/// <summary>On Unix an upload's spooled zip and unpacked files are readable by the portal's account only: folders 0700, files 0600.</summary>
public sealed class StagingFilePermissionsTests : IDisposable
{
    private readonly string _root = Path.Combine(Directory.CreateTempSubdirectory("portal-staging-modes-").FullName, "staging");

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task Spooled_and_unpacked_files_are_private_to_the_owner()
    {
        using var area = StagingArea.Create(_root);
        using var zip = new MemoryStream(TestZips.Of(ZipItem.Text("index.html", "<h1>x</h1>"), ZipItem.Text("css/site.css", "b{}")));

        var (path, refusal) = await ContentArchive.SpoolAsync(zip, 1024 * 1024, area.Folder);
        Assert.Null(refusal);
        var check = ContentArchive.Check(path!, new ContentLimits(1024 * 1024, 10, 1024 * 1024, 512), area.Folder);
        using var staged = check.Content!;

        Assert.Equal(StagingArea.PrivateFolderMode, File.GetUnixFileMode(_root));
        Assert.Equal(StagingArea.PrivateFolderMode, File.GetUnixFileMode(area.Folder));
        Assert.Equal(StagingArea.PrivateFolderMode, File.GetUnixFileMode(staged.Directory));
        Assert.Equal(StagingArea.PrivateFileMode, File.GetUnixFileMode(path!));
        Assert.All(staged.Files, f => Assert.Equal(StagingArea.PrivateFileMode, File.GetUnixFileMode(f.StagingFile)));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);
}
