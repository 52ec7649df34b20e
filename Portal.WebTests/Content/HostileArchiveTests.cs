using System.Text;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>
/// Hostile and broken archives sent to a site in testing: each is refused with a message that says what is wrong,
/// and nothing is written: no S3 object, no invalidation, no content version, no audit event, nothing left in staging.
/// </summary>
public sealed class HostileArchiveTests(HostileArchiveTests.SmallLimitsSite fixture) : IClassFixture<HostileArchiveTests.SmallLimitsSite>
{
    public const int MaxFiles = 10;
    public const long MaxExpanded = 1024 * 1024;
    public const long MaxUpload = 256 * 1024;
    private static readonly ZipItem Index = ZipItem.Text("index.html", "<h1>fine</h1>");
    private readonly SiteInTesting _site = fixture.Site;

    /// <summary>One site in testing with small limits, shared by the cases: none of them may change anything.</summary>
    public sealed class SmallLimitsSite : IAsyncLifetime
    {
        public SiteInTesting Site { get; private set; } = null!;

        public async Task InitializeAsync() => Site = await SiteInTesting.StartAsync(configure: h =>
            h.ContentOptions = h.ContentOptions with { MaxFiles = MaxFiles, MaxExpandedBytes = MaxExpanded, MaxUploadBytes = MaxUpload });

        public async Task DisposeAsync() => await Site.DisposeAsync();
    }

    public static TheoryData<string, ContentRefusalReason, string> Cases() => new()
    {
        { "path traversal", ContentRefusalReason.UnsafePath, "'../../outside/index.html' climbs out of the site's folder with '..'." },
        { "traversal inside a path", ContentRefusalReason.UnsafePath, "'docs/../../../etc/passwd' climbs out of the site's folder with '..'." },
        { "absolute path", ContentRefusalReason.UnsafePath, "'/etc/cron.d/job' is an absolute path; every path must be relative to the site's root." },
        { "drive letter", ContentRefusalReason.UnsafePath, "'C:/Windows/win.ini' starts with a drive letter; every path must be relative to the site's root." },
        { "backslash traversal", ContentRefusalReason.UnsafePath, "'..\\..\\outside.html' contains a backslash; paths in a zip use '/', and a backslash can climb out of the site's folder on some systems." },
        { "symbolic link", ContentRefusalReason.Link, "'secrets' is a symbolic link; a site's archive may hold only files and folders." },
        { "device file", ContentRefusalReason.SpecialFile, "'null' is a character device file; a site's archive may hold only files and folders." },
        { "zip bomb", ContentRefusalReason.ExpandsTooFar, "The archive expands to more than 1 MiB, the limit (stopped while reading 'bomb.bin'); it was refused as a possible zip bomb." },
        { "zip bomb with a false size", ContentRefusalReason.Corrupt, "'bomb.bin' is damaged in the archive: its content does not match its CRC-32 (the archive's headers may state a false size)." },
        { "too many files", ContentRefusalReason.TooManyFiles, "The archive holds more than 10 files, the limit." },
        { "too many entries listed", ContentRefusalReason.TooManyFiles, "The archive lists 30 entries; at most 10 files are allowed." },
        { "too large", ContentRefusalReason.TooLarge, "The upload is larger than the limit of 256 KiB." },
        { "not a zip", ContentRefusalReason.Corrupt, "The upload is not a zip archive (no end-of-central-directory record was found)." },
        { "truncated zip", ContentRefusalReason.Corrupt, "The upload is not a zip archive (no end-of-central-directory record was found)." },
        { "damaged data", ContentRefusalReason.Corrupt, "'index.html' is damaged in the archive" },
        { "duplicate names", ContentRefusalReason.Duplicate, "'index.html' appears twice in the archive." },
        { "encrypted", ContentRefusalReason.Encrypted, "'index.html' is encrypted; upload an archive without a password." },
        { "empty", ContentRefusalReason.Empty, "The archive holds no files." },
        { "control character", ContentRefusalReason.UnsafePath, "'bad\\u000aname.html' contains the control character U+000A." },
        { "unaddressable name", ContentRefusalReason.UnsafePath, "'page?x=1.html' contains '?' or '#', which no URL path can address." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_archive_is_refused_with_a_clear_message_and_nothing_is_written(string name, ContentRefusalReason reason, string message)
    {
        var before = await _site.H.RequestAsync(_site.Id);

        var result = await _site.UploadAsync(Archive(name));

        Assert.False(result.Succeeded);
        Assert.Equal(ContentProblemKind.Refused, result.Problem!.Kind);
        Assert.Equal(reason, result.Problem.Refusal);
        Assert.StartsWith(message, result.Problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, _site.H.Aws.S3.WriteCount);
        Assert.Empty(_site.H.Aws.S3.Current(_site.Bucket, "testing/"));
        Assert.Empty(_site.H.Aws.CloudFront.Invalidations);
        Assert.Empty((await _site.H.ContentQueries.VersionsAsync(_site.Id)).Versions);
        var after = await _site.H.RequestAsync(_site.Id);
        Assert.Equal((before.Version, before.AuditEvents.Count), (after.Version, after.AuditEvents.Count));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_site.H.StagingDirectory));
        Assert.Empty(_site.H.Aws.Violations);
    }

    private static byte[] Archive(string name) => name switch
    {
        "path traversal" => TestZips.Of(Index, ZipItem.Text("../../outside/index.html", "x")),
        "traversal inside a path" => TestZips.Of(Index, ZipItem.Text("docs/../../../etc/passwd", "x")),
        "absolute path" => TestZips.Of(Index, ZipItem.Text("/etc/cron.d/job", "x")),
        "drive letter" => TestZips.Of(Index, ZipItem.Text("C:/Windows/win.ini", "x")),
        "backslash traversal" => TestZips.Of(Index, ZipItem.Text("..\\..\\outside.html", "x")),
        "symbolic link" => TestZips.Of(Index, TestZips.SymbolicLink("secrets", "/etc/shadow")),
        "device file" => TestZips.Of(Index, TestZips.CharacterDevice("null")),
        "zip bomb" => TestZips.Of(Index, TestZips.Zeros("bomb.bin", 64 * 1024 * 1024)),
        "zip bomb with a false size" => TestZips.WithFalseSize(TestZips.Of(TestZips.Zeros("bomb.bin", 64 * 1024 * 1024), Index), 100),
        "too many files" => TestZips.Of(Enumerable.Range(0, MaxFiles + 1).Select(i => ZipItem.Text($"p{i}.html", "x")).ToArray()),
        "too many entries listed" => TestZips.Of(Enumerable.Range(0, 3 * MaxFiles).Select(i => ZipItem.Text($"d{i}/", "")).ToArray()),
        "too large" => TestZips.Of(Index, new ZipItem("noise.bin", RandomBytes(300 * 1024))),
        "not a zip" => Encoding.UTF8.GetBytes("<html>this is not an archive</html>"),
        "truncated zip" => TestZips.Site(("index.html", "<h1>fine</h1>"), ("about.html", "about"))[..60],
        "damaged data" => TestZips.WithDamagedData(TestZips.Of(ZipItem.Text("index.html", string.Concat(Enumerable.Repeat("<p>text</p>", 500))))),
        "duplicate names" => TestZips.Of(Index, ZipItem.Text("index.html", "again")),
        "encrypted" => TestZips.MarkedEncrypted(TestZips.Of(Index)),
        "empty" => TestZips.Of(ZipItem.Text("folder/", "")),
        "control character" => TestZips.Of(Index, ZipItem.Text("bad\nname.html", "x")),
        "unaddressable name" => TestZips.Of(Index, ZipItem.Text("page?x=1.html", "x")),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(3).NextBytes(bytes);
        return bytes;
    }
}
