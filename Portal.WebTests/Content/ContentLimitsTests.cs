using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Tests.Content;

/// <summary>The limits refuse only what passes them: an archive exactly at every limit is published.</summary>
public sealed class ContentLimitsTests
{
    [Fact]
    public async Task An_archive_with_exactly_the_most_files_and_expanded_bytes_allowed_is_published()
    {
        await using var site = await SiteInTesting.StartAsync(configure: h => h.ContentOptions = h.ContentOptions with
        {
            MaxFiles = HostileArchiveTests.MaxFiles,
            MaxExpandedBytes = HostileArchiveTests.MaxExpanded,
        });
        var files = Enumerable.Range(0, HostileArchiveTests.MaxFiles)
            .Select(i => TestZips.Zeros($"f{i}.bin", (int)(HostileArchiveTests.MaxExpanded / HostileArchiveTests.MaxFiles))).ToArray();
        Assert.Equal(HostileArchiveTests.MaxExpanded, files.Sum(f => (long)f.Content.Length) + (HostileArchiveTests.MaxExpanded % HostileArchiveTests.MaxFiles));

        var result = await site.UploadAsync(TestZips.Of(files));

        Assert.True(result.Succeeded, result.Problem?.Message);
        Assert.Equal(HostileArchiveTests.MaxFiles, site.H.Aws.S3.Current(site.Bucket, "testing/").Count);
    }

    [Fact]
    public async Task A_file_of_exactly_the_most_bytes_one_file_may_be_is_published_and_one_byte_more_is_refused_with_nothing_written()
    {
        const int maxFile = 64 * 1024;
        await using var site = await SiteInTesting.StartAsync(configure: h => h.ContentOptions = h.ContentOptions with { MaxFileBytes = maxFile });

        var refused = await site.UploadAsync(TestZips.Of(ZipItem.Text("index.html", "<h1>x</h1>"), TestZips.Zeros("video.bin", maxFile + 1)));

        Assert.False(refused.Succeeded);
        Assert.Equal(ContentRefusalReason.TooLarge, refused.Problem!.Refusal);
        Assert.Equal("'video.bin' expands to more than 64 KiB, the most one file may be.", refused.Problem.Message);
        Assert.Equal(0, site.H.Aws.S3.WriteCount);
        Assert.Empty(Directory.EnumerateFileSystemEntries(site.H.StagingDirectory));

        var published = await site.UploadAsync(TestZips.Of(ZipItem.Text("index.html", "<h1>x</h1>"), TestZips.Zeros("video.bin", maxFile)));

        Assert.True(published.Succeeded, published.Problem?.Message);
        Assert.Equal(maxFile, site.H.Aws.S3.Current(site.Bucket, "testing/")[SiteInTesting.TestingPrefix + "video.bin"].Content.Length);
    }
}
