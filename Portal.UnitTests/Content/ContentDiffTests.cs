using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Tests.Content;

/// <summary>What changed between two content versions: by path, and a file is changed when its bytes or the headers it is served with differ.</summary>
public sealed class ContentDiffTests
{
    private static ContentFile F(string path, string sha, string type = "text/html", string? cache = null, string version = "v") => new(path, 1, sha, version, type, cache);

    [Fact]
    public void Added_changed_and_removed_files_are_listed_in_path_order()
    {
        var diff = ContentDiff.Between(
            [F("same.html", "1"), F("edited.html", "2"), F("gone.html", "3"), F("b-gone.css", "4")],
            [F("same.html", "1", version: "other-s3-version"), F("edited.html", "9"), F("new.html", "5"), F("a-new.js", "6")]);

        Assert.Equal(["a-new.js", "new.html"], diff.Added);
        Assert.Equal(["edited.html"], diff.Changed);
        Assert.Equal(["b-gone.css", "gone.html"], diff.Removed);
        Assert.Equal("2 added, 1 changed, 2 removed", diff.Summary);
    }

    [Fact]
    public void A_new_content_type_or_cache_control_is_a_change()
    {
        var diff = ContentDiff.Between([F("a", "1"), F("b", "1")], [F("a", "1", type: "text/plain"), F("b", "1", cache: "no-cache")]);

        Assert.Equal(["a", "b"], diff.Changed);
    }

    [Fact]
    public void Against_nothing_every_file_is_added_and_equal_versions_differ_in_nothing()
    {
        Assert.Equal(["x"], ContentDiff.Between(null, [F("x", "1")]).Added);
        Assert.True(ContentDiff.Between([F("x", "1")], [F("x", "1")]).IsEmpty);
        Assert.Equal("no changes", ContentDiff.Between([F("x", "1")], [F("x", "1")]).Summary);
    }
}
