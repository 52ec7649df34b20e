using Portal.Core.Content;

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
}
