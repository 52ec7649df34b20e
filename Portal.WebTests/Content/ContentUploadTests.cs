using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>A zip uploaded to a site in testing: every file stored with its type and cache rules, a recorded version, one invalidation.</summary>
public sealed class ContentUploadTests : IAsyncLifetime
{
    private SiteInTesting _site = null!;

    public async Task InitializeAsync() => _site = await SiteInTesting.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Every_file_is_stored_under_the_testing_prefix_with_its_content_type_and_the_seed_cache_rules()
    {
        var version = await _site.PublishAsync(TestZips.Site(
            ("index.html", "<h1>Docs</h1>"),
            ("guide/intro.htm", "<p>intro</p>"),
            ("assets/app.js", "console.log(1)"),
            ("assets/logo.svg", "<svg/>"),
            ("css/site.css", "body{}"),
            ("img/photo.jpg", "jpeg"),
            ("img/photo.png", "png"),
            ("fonts/body.woff2", "woff2"),
            ("data/feed.json", "{}"),
            ("robots.txt", "User-agent: *"),
            ("download/manual.pdf", "%PDF"),
            ("LICENSE", "no extension")));

        var stored = _site.H.Aws.S3.Current(_site.Bucket, SiteInTesting.TestingPrefix);
        Assert.Equal(12, stored.Count);
        (string? Type, string? Cache) Headers(string path) => (stored[SiteInTesting.TestingPrefix + path].ContentType, stored[SiteInTesting.TestingPrefix + path].CacheControl);
        Assert.Equal(("text/html; charset=utf-8", "max-age=43200"), Headers("index.html"));
        Assert.Equal(("text/html; charset=utf-8", null), Headers("guide/intro.htm"));
        Assert.Equal(("text/javascript; charset=utf-8", "max-age=15552000"), Headers("assets/app.js"));
        Assert.Equal(("image/svg+xml", "max-age=15552000"), Headers("assets/logo.svg"));
        Assert.Equal(("text/css; charset=utf-8", null), Headers("css/site.css"));
        Assert.Equal(("image/jpeg", "max-age=1209600"), Headers("img/photo.jpg"));
        Assert.Equal(("image/png", null), Headers("img/photo.png"));
        Assert.Equal(("font/woff2", null), Headers("fonts/body.woff2"));
        Assert.Equal(("application/json", null), Headers("data/feed.json"));
        Assert.Equal(("text/plain; charset=utf-8", null), Headers("robots.txt"));
        Assert.Equal(("application/pdf", null), Headers("download/manual.pdf"));
        Assert.Equal(("application/octet-stream", null), Headers("LICENSE"));
        Assert.Equal("<h1>Docs</h1>", stored[SiteInTesting.TestingPrefix + "index.html"].Text);

        Assert.Equal((1, 12, 12), (version.Number, version.FileCount, version.Added));
        Assert.Empty(_site.H.Aws.S3.Current(_site.Bucket, SiteInTesting.ProductionPrefix));
        Assert.Empty(_site.H.Aws.Violations);
    }

    [Fact]
    public async Task The_sites_own_cache_rules_apply_first_match_first()
    {
        await using var site = await SiteInTesting.StartAsync(TestSpecs.Site(SiteInTesting.Host) with
        {
            RedirectFrom = [],
            CacheRules = [new("/static/*", "public, max-age=31536000, immutable"), new("*.css", "max-age=86400"), new("/index.html", "no-cache")],
        });

        await site.PublishAsync(TestZips.Site(("index.html", "home"), ("about.html", "about"), ("static/site.css", "a{}"), ("theme.css", "b{}")));

        var stored = site.H.Aws.S3.Current(site.Bucket, SiteInTesting.TestingPrefix);
        Assert.Equal("no-cache", stored[SiteInTesting.TestingPrefix + "index.html"].CacheControl);
        Assert.Null(stored[SiteInTesting.TestingPrefix + "about.html"].CacheControl);
        Assert.Equal("public, max-age=31536000, immutable", stored[SiteInTesting.TestingPrefix + "static/site.css"].CacheControl);
        Assert.Equal("max-age=86400", stored[SiteInTesting.TestingPrefix + "theme.css"].CacheControl);
    }

    [Fact]
    public async Task The_version_records_each_files_size_sha256_and_s3_version_id_with_an_audit_event_and_one_testing_invalidation()
    {
        var version = await _site.PublishAsync(TestZips.Site(("index.html", "<h1>Docs</h1>"), ("a/b.txt", "bee")));

        var files = await _site.H.ContentQueries.FilesAsync(_site.Id, version.Id);
        var stored = _site.H.Aws.S3.Current(_site.Bucket, SiteInTesting.TestingPrefix);
        Assert.NotNull(files);
        Assert.Equal(["a/b.txt", "index.html"], files.Select(f => f.Path));
        var index = files.Single(f => f.Path == "index.html");
        Assert.Equal(13, index.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("<h1>Docs</h1>"u8)), index.Sha256);
        Assert.Equal(stored[SiteInTesting.TestingPrefix + "index.html"].VersionId, index.VersionId);
        Assert.Equal(stored[SiteInTesting.TestingPrefix + "a/b.txt"].VersionId, files.Single(f => f.Path == "a/b.txt").VersionId);

        var request = await _site.H.RequestAsync(_site.Id);
        var audit = request.AuditEvents[^1];
        Assert.Equal(("PublishContent", "alice", RequestState.TestingReady, RequestState.TestingReady), (audit.Action, audit.ActorId, audit.FromState, audit.ToState));
        Assert.Equal("Content version 1 published to testing: 2 files, 16 bytes (2 added, 0 changed, 0 removed)", audit.Reason);

        var distribution = await _site.DistributionAsync(DeploymentEnvironment.Testing);
        var invalidation = Assert.Single(_site.H.Aws.CloudFront.Invalidations);
        Assert.Equal(distribution, invalidation.DistributionId);
        Assert.Equal(["/*"], invalidation.Paths);

        var view = await _site.H.ContentQueries.VersionsAsync(_site.Id);
        Assert.Equal(version.Id, view.Testing?.Id);
        Assert.Null(view.Production);
        Assert.True(Assert.Single(view.Versions).LiveInTesting);
    }

    [Fact]
    public async Task A_new_upload_syncs_testing_removing_what_the_archive_no_longer_has_and_leaving_unchanged_files_alone()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "v1"), ("keep.css", "same"), ("old.html", "going away"), ("assets/x.js", "1")));
        var keepVersion = _site.H.Aws.S3.Current(_site.Bucket, SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "keep.css"].VersionId;

        var second = await _site.PublishAsync(TestZips.Site(("index.html", "v2"), ("keep.css", "same"), ("new.html", "arrived"), ("assets/x.js", "1")));

        var stored = _site.H.Aws.S3.Current(_site.Bucket, SiteInTesting.TestingPrefix);
        Assert.Equal(["assets/x.js", "index.html", "keep.css", "new.html"], stored.Keys.Select(k => k[SiteInTesting.TestingPrefix.Length..]).Order(StringComparer.Ordinal));
        Assert.Equal("v2", stored[SiteInTesting.TestingPrefix + "index.html"].Text);
        Assert.Equal(keepVersion, stored[SiteInTesting.TestingPrefix + "keep.css"].VersionId);
        Assert.Equal(1, _site.H.Aws.S3.VersionCount(_site.Bucket, SiteInTesting.TestingPrefix + "keep.css"));
        Assert.Equal(2, _site.H.Aws.S3.VersionCount(_site.Bucket, SiteInTesting.TestingPrefix + "old.html"));
        Assert.Equal((2, 1, 1, 1), (second.Number, second.Added, second.Changed, second.Removed));
        Assert.Equal(2, _site.H.Aws.CloudFront.Invalidations.Count);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_site.H.StagingDirectory));
        Assert.Empty(_site.H.Aws.Violations);
    }

    [Fact]
    public async Task A_zipped_folder_publishes_its_contents_at_the_sites_root()
    {
        await _site.PublishAsync(TestZips.Of(
            ZipItem.Text("public/", ""), ZipItem.Text("public/index.html", "home"), ZipItem.Text("public/css/a.css", "a"),
            ZipItem.Text("__MACOSX/public/._index.html", "resource fork")));

        Assert.Equal(
            [SiteInTesting.TestingPrefix + "css/a.css", SiteInTesting.TestingPrefix + "index.html"],
            _site.H.Aws.S3.Current(_site.Bucket, SiteInTesting.TestingPrefix).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Only_the_owner_or_an_admin_may_upload()
    {
        var result = await _site.UploadAsync(TestZips.Site(("index.html", "x")), TestActors.Rita);
        Assert.Equal(ContentProblemKind.Forbidden, result.Problem?.Kind);
        Assert.Equal("Only the person who made this request, or an admin, can upload its content.", result.Problem?.Message);

        var byBob = await _site.UploadAsync(TestZips.Site(("index.html", "x")), TestActors.Bob);
        Assert.Equal("Uploading content needs the Requester role.", byBob.Problem?.Message);

        Assert.True((await _site.UploadAsync(TestZips.Site(("index.html", "x")), TestActors.Dana)).Succeeded);
        Assert.Equal(1, _site.H.Aws.S3.WriteCount);
    }
}
