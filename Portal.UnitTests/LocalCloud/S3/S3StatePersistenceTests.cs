using Microsoft.Extensions.Time.Testing;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.LocalCloud.S3;

/// <summary>The local cloud's buckets survive a restart: every version, delete marker and piece of metadata, read back from the data folder.</summary>
public sealed class S3StatePersistenceTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("s3-state-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Versions_delete_markers_and_content_types_come_back_after_a_restart()
    {
        var before = new S3Service(_clock);
        var first = before.Put("content", "site/index.html", "<h1>one</h1>", "text/html");
        var second = before.Put("content", "site/index.html", "<h1>two</h1>", "text/html");
        before.Put("content", "site/gone.txt", "bye", "text/plain");
        before.Handle("DeleteObject", new Dictionary<string, object?> { ["Bucket"] = "content", ["Key"] = "site/gone.txt" });
        before.CreateBucket("empty-bucket");
        before.SaveState(_folder.Path);

        var after = new S3Service(_clock);
        Assert.True(after.RestoreState(_folder.Path));

        var current = after.Current("content", "site/");
        Assert.Equal(["site/index.html"], current.Keys);
        Assert.Equal(second, current["site/index.html"].VersionId);
        Assert.Equal("text/html", current["site/index.html"].ContentType);
        Assert.Equal("<h1>two</h1>", current["site/index.html"].Text);
        var old = after.Handle("GetObject", new Dictionary<string, object?> { ["Bucket"] = "content", ["Key"] = "site/index.html", ["VersionId"] = first });
        Assert.Null(old.Error);
        Assert.Equal("<h1>one</h1>"u8.ToArray(), (byte[])old.Output!["Body"]!);
        Assert.Empty(after.Current("empty-bucket", ""));
        var next = after.Put("content", "site/new.txt", "new");
        Assert.NotEqual(first, next);
        Assert.NotEqual(second, next);
    }

    [Fact]
    public void A_folder_without_saved_state_restores_nothing()
    {
        var s3 = new S3Service(_clock);

        Assert.False(s3.RestoreState(_folder.Path));
    }

    [Fact]
    public void Content_no_version_uses_any_more_is_removed_from_the_folder()
    {
        var s3 = new S3Service(_clock);
        s3.Put("content", "a.txt", "kept");
        s3.Put("content", "b.txt", "dropped");
        s3.SaveState(_folder.Path);
        s3.RemoveBucket("content");
        s3.Put("content", "a.txt", "kept");

        s3.SaveState(_folder.Path);

        var blobs = Directory.GetFiles(Path.Combine(_folder.Path, "blobs"));
        Assert.Single(blobs);
        Assert.Equal("kept", File.ReadAllText(blobs[0]));
    }
}
