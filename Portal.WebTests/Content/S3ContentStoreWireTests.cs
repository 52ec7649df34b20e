using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Tests.Aws;
using Portal.Tests.Aws.Loopback;

namespace Portal.Tests.Content;

/// <summary>
/// The content store through AWSSDK.S3 against the loopback endpoint: every call signed (streaming uploads with
/// chunk signatures and a checksum trailer included) and checked against the botocore S3 model.
/// </summary>
public sealed class S3ContentStoreWireTests : IAsyncLifetime
{
    private const string Bucket = "content";
    private LoopbackAws _aws = null!;
    private AwsTestClients _clients = null!;
    private S3ContentStore _store = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _aws = await LoopbackAws.StartAsync();
        _clients = new AwsTestClients(_aws);
        _store = new S3ContentStore(_clients.S3);
        _aws.S3.Put(Bucket, "other/keep.txt", "bucket exists");
        _directory = Directory.CreateTempSubdirectory("content-store-").FullName;
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _aws.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_put_stores_the_bytes_with_their_type_and_cache_control_and_returns_a_new_version_id()
    {
        var first = await _store.PutAsync(Bucket, File("index.html", "<h1>one</h1>", "text/html; charset=utf-8", "max-age=43200"));
        var second = await _store.PutAsync(Bucket, File("index.html", "<h1>two</h1>", "text/html; charset=utf-8", "max-age=43200"));

        Assert.NotEqual(first, second);
        var stored = _aws.S3.Current(Bucket, "testing/")["testing/site/index.html"];
        Assert.Equal(("<h1>two</h1>", "text/html; charset=utf-8", "max-age=43200", second), (stored.Text, stored.ContentType, stored.CacheControl, stored.VersionId));
        Assert.Equal(2, _aws.S3.VersionCount(Bucket, "testing/site/index.html"));
        Assert.Empty(_aws.Violations);
    }

    [Fact]
    public async Task A_put_whose_bytes_differ_from_the_checked_sha256_is_refused_by_s3()
    {
        var path = Path.Combine(_directory, "tampered");
        await System.IO.File.WriteAllTextAsync(path, "what is on disk now");
        var checkedHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("what was checked")));

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            _store.PutAsync(Bucket, new ContentPut("testing/site/a.txt", path, "text/plain; charset=utf-8", null, checkedHash)));

        Assert.Equal("BadDigest", error.ErrorCode);
        Assert.Empty(_aws.S3.Current(Bucket, "testing/"));
    }

    [Fact]
    public async Task Listing_pages_through_every_version_and_returns_only_current_live_objects()
    {
        for (var i = 0; i < 700; i++)
        {
            _aws.S3.Put(Bucket, $"testing/site/p{i:0000}.html", "old " + i);
            _aws.S3.Put(Bucket, $"testing/site/p{i:0000}.html", "new " + i);
        }

        _aws.S3.Put(Bucket, "testing/site/gone.html", "soon deleted");
        await _store.DeleteAsync(Bucket, ["testing/site/gone.html"]);

        var current = await _store.ListCurrentAsync(Bucket, "testing/site/");

        Assert.Equal(700, current.Count);
        Assert.Equal(_aws.S3.Current(Bucket, "testing/site/")["testing/site/p0017.html"].VersionId, current["testing/site/p0017.html"]);
        Assert.DoesNotContain("testing/site/gone.html", current.Keys);
        // The object's version stays behind its delete marker. A DeleteObjects retried after a one-second attempt timeout
        // (these clients' setting, reached on a loaded machine) adds a second marker, as S3 does; the version is still kept.
        Assert.True(_aws.S3.VersionCount(Bucket, "testing/site/gone.html") >= 2, "the deleted object's version is kept");
        Assert.True(_aws.CallsByOperation()["ListObjectVersions"] >= 2, "1,402 versions need more than one page of 1,000");
        Assert.Empty(_aws.Violations);
    }

    [Fact]
    public async Task Deleting_more_than_a_thousand_keys_takes_several_calls()
    {
        var keys = Enumerable.Range(0, 2345).Select(i => $"testing/site/f{i}.txt").ToList();
        foreach (var key in keys)
        {
            _aws.S3.Put(Bucket, key, key);
        }

        await _store.DeleteAsync(Bucket, keys);

        Assert.Empty(_aws.S3.Current(Bucket, "testing/"));
        Assert.Equal(3, _aws.CallsByOperation()["DeleteObjects"]);
        Assert.Empty(_aws.Violations);
    }

    [Fact]
    public async Task Copying_to_production_copies_the_given_versions_not_the_current_ones_into_production_s_bucket_and_removes_the_rest()
    {
        const string Production = "production-content";
        var v1 = _aws.S3.Put(Bucket, "testing/site/index.html", "approved page", "text/html; charset=utf-8");
        _aws.S3.Put(Bucket, "testing/site/index.html", "newer page nobody approved", "text/html; charset=utf-8");
        _aws.S3.Put(Production, "production/site/old.html", "stale");
        var files = new[] { new ContentFile("index.html", 13, "x", v1, "text/html; charset=utf-8", null) };

        var result = await _store.CopyContentAsync(new(Bucket, "testing/site/"), new(Production, "production/site/"), files);

        Assert.Equal((1, 1, 0), (result.Copied, result.Removed, result.Missing.Count));
        var production = _aws.S3.Current(Production, "production/site/");
        Assert.Equal(["production/site/index.html"], production.Keys);
        Assert.Equal(("approved page", "text/html; charset=utf-8"), (production["production/site/index.html"].Text, production["production/site/index.html"].ContentType));
        Assert.Empty(_aws.S3.Current(Bucket, "production/"));
        Assert.Empty(_aws.Violations);
    }

    [Fact]
    public async Task Copying_a_version_that_expired_to_production_names_the_missing_files_and_removes_nothing()
    {
        const string Production = "production-content";
        var v1 = _aws.S3.Put(Bucket, "testing/site/index.html", "approved");
        _aws.S3.Put(Bucket, "testing/site/index.html", "replaced");
        _aws.S3.Put(Production, "production/site/index.html", "live");
        _aws.S3.ExpireNoncurrent(Bucket);

        var result = await _store.CopyContentAsync(new(Bucket, "testing/site/"), new(Production, "production/site/"), [new ContentFile("index.html", 8, "x", v1, "text/html", null)]);

        Assert.Equal(["index.html"], result.Missing);
        Assert.Equal("live", _aws.S3.Objects(Production, "production/site/")["production/site/index.html"]);
        Assert.Empty(_aws.Violations);
    }

    [Fact]
    public async Task Emptying_a_bucket_deletes_every_version_and_delete_marker_in_pages()
    {
        for (var i = 0; i < 600; i++)
        {
            _aws.S3.Put(Bucket, $"testing/site/p{i:000}.html", "old");
            _aws.S3.Put(Bucket, $"testing/site/p{i:000}.html", "new");
        }

        await _store.DeleteAsync(Bucket, ["testing/site/p000.html"]);

        var deleted = await _store.EmptyBucketAsync(Bucket);

        // 1,200 versions, a delete marker and the object made at the start.
        Assert.Equal(1202, deleted);
        Assert.Equal(0, _aws.S3.VersionCount(Bucket, "testing/site/p000.html"));
        Assert.Empty(_aws.S3.Current(Bucket, ""));
        Assert.True(_aws.CallsByOperation()["ListObjectVersions"] >= 2, "1,202 versions need more than one page of 1,000");
        Assert.Equal(0, await _store.EmptyBucketAsync("no-such-bucket"));
        Assert.Empty(_aws.Violations);
    }

    private ContentPut File(string name, string text, string contentType, string? cacheControl)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        System.IO.File.WriteAllText(path, text);
        return new ContentPut("testing/site/" + name, path, contentType, cacheControl, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }
}
