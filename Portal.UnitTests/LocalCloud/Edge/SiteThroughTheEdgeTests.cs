using System.Text;
using Portal.LocalCloud.Edge;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// A deployed site answers through its distribution as at CloudFront: the default document function and the
/// default root object serve index.html, a directory without its slash is redirected, objects come from the bucket
/// under the origin path with their type, the behaviour's headers policy and CloudFront's headers are on the
/// response, a missing key is S3's AccessDenied, compressible content is compressed, and a matching ETag gets 304.
/// </summary>
public sealed class SiteThroughTheEdgeTests
{
    private readonly EdgeFixture _edge = new();

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    public void The_home_page_is_index_html_with_the_sites_headers(string path)
    {
        var response = _edge.Get(EdgeFixture.Site, path);

        Assert.Equal(200, response.Status);
        Assert.Equal(EdgeFixture.Page, EdgeFixture.Text(response));
        Assert.Equal("text/html; charset=utf-8", response.Headers["Content-Type"]);
        Assert.Equal("max-age=31536000; includeSubDomains; preload", response.Headers["Strict-Transport-Security"]);
        Assert.Equal("DENY", response.Headers["X-Frame-Options"]);
        Assert.Equal("nosniff", response.Headers["X-Content-Type-Options"]);
        Assert.False(response.Headers.ContainsKey("Server"));
        Assert.Equal("Miss from cloudfront", response.Headers["X-Cache"]);
        Assert.Matches(@"^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$", response.Headers["Via"]);
        Assert.Equal(56, response.Headers["X-Amz-Cf-Id"].Length);
    }

    [Fact]
    public void A_directory_serves_its_index_and_without_its_slash_is_redirected()
    {
        var index = _edge.Get(EdgeFixture.Site, "/guide/");
        var redirect = _edge.Get(EdgeFixture.Site, "/guide", "v=1");

        Assert.Equal("<h1>Guide</h1>", EdgeFixture.Text(index));
        Assert.Equal(301, redirect.Status);
        Assert.Equal("/guide/?v=1", redirect.Headers["Location"]);
        Assert.Equal("FunctionGeneratedResponse from cloudfront", redirect.Headers["X-Cache"]);
        Assert.Equal("DENY", redirect.Headers["X-Frame-Options"]);
    }

    [Fact]
    public void The_objects_cache_control_reaches_the_viewer_unchanged()
    {
        var css = _edge.Get(EdgeFixture.Site, "/assets/app.css");

        Assert.Equal("body { color: black; }", EdgeFixture.Text(css));
        Assert.Equal("text/css", css.Headers["Content-Type"]);
        Assert.Equal("max-age=15552000", css.Headers["Cache-Control"]);
    }

    [Fact]
    public void A_percent_encoded_path_reads_the_decoded_key() =>
        Assert.Equal("spaced", EdgeFixture.Text(_edge.Get(EdgeFixture.Site, "/a%20b.txt")));

    [Fact]
    public void A_missing_key_is_s3s_access_denied()
    {
        var response = _edge.Get(EdgeFixture.Site, "/nothing-here.html");

        Assert.Equal(403, response.Status);
        Assert.Equal("application/xml", response.Headers["Content-Type"]);
        Assert.Contains("<Code>AccessDenied</Code><Message>Access Denied</Message>", EdgeFixture.Text(response), StringComparison.Ordinal);
        Assert.Equal("Error from cloudfront", response.Headers["X-Cache"]);
    }

    [Fact]
    public void Content_published_after_start_is_served_at_once()
    {
        _edge.S3.Put(DeployedStacks.ContentBucket, EdgeFixture.Prefix + "new.html", "fresh", "text/html");

        Assert.Equal("fresh", EdgeFixture.Text(_edge.Get(EdgeFixture.Site, "/new.html")));
    }

    [Theory]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    public void Compressible_content_is_compressed_for_a_viewer_that_accepts_it(string accept, string encoding)
    {
        var response = _edge.Get(EdgeFixture.Site, "/", headers: ("Accept-Encoding", accept));

        Assert.Equal(encoding, response.Headers["Content-Encoding"]);
        Assert.StartsWith("W/\"", response.Headers["ETag"], StringComparison.Ordinal);
        using var input = new MemoryStream(response.Body);
        using Stream decompressor = encoding == "br"
            ? new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(decompressor, Encoding.UTF8);
        Assert.Equal(EdgeFixture.Page, reader.ReadToEnd());
    }

    [Fact]
    public void A_matching_etag_answers_not_modified()
    {
        var first = _edge.Get(EdgeFixture.Site, "/");

        var second = _edge.Get(EdgeFixture.Site, "/", headers: ("If-None-Match", first.Headers["ETag"]));

        Assert.Equal(304, second.Status);
        Assert.Empty(second.Body);
    }

    [Fact]
    public void The_redirect_name_answers_with_301_to_the_canonical_host()
    {
        var response = _edge.Get("test.www.docs.example.com", "/guide/", "a=1");

        Assert.Equal(301, response.Status);
        Assert.Equal("https://test.docs.example.com/guide/?a=1", response.Headers["Location"]);
    }

    [Fact]
    public void The_mta_sts_host_serves_the_policy_from_its_function()
    {
        var response = _edge.Get("mta-sts.example.com", "/.well-known/mta-sts.txt");

        Assert.Equal(200, response.Status);
        Assert.StartsWith("version: STSv1\r\nmode: ", EdgeFixture.Text(response), StringComparison.Ordinal);
        Assert.Equal("text/plain; charset=utf-8", response.Headers["Content-Type"]);
    }
}
