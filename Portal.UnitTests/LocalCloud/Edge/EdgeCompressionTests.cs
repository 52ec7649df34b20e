using Portal.LocalCloud.Edge;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// Compression follows CloudFront's conditions: a listed type, 1,000 to 10,000,000 bytes, not already encoded, an
/// encoding the viewer accepts (Brotli before gzip, q=0 refuses).
/// </summary>
public sealed class EdgeCompressionTests
{
    [Theory]
    [InlineData("gzip, deflate, br", "text/html; charset=utf-8", 5000, null, "br")]
    [InlineData("gzip", "application/javascript", 5000, null, "gzip")]
    [InlineData("br;q=0, gzip", "text/css", 5000, null, "gzip")]
    [InlineData("identity", "text/css", 5000, null, null)]
    [InlineData(null, "text/css", 5000, null, null)]
    [InlineData("br", "image/png", 5000, null, null)]
    [InlineData("br", "text/html", 999, null, null)]
    [InlineData("br", "text/html", 1000, null, "br")]
    [InlineData("br", "text/html", 10_000_001, null, null)]
    [InlineData("br", "text/html", 5000, "gzip", null)]
    public void The_encoding_follows_cloudfronts_conditions(string? accept, string type, int length, string? existing, string? expected) =>
        Assert.Equal(expected, EdgeCompression.Choose(accept, type, length, existing));

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public void Compressed_content_decompresses_to_the_original(string encoding)
    {
        var original = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<p>hello edge</p>", 200)));
        var compressed = EdgeCompression.Compress(original, encoding);
        using var input = new MemoryStream(compressed);
        using Stream decompressor = encoding == "br"
            ? new System.IO.Compression.BrotliStream(input, System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);

        Assert.True(compressed.Length < original.Length);
        Assert.Equal(original, output.ToArray());
    }

    [Fact]
    public void A_compressed_objects_etag_becomes_weak()
    {
        Assert.Equal("W/\"abc\"", EdgeCompression.WeakETag("\"abc\""));
        Assert.Equal("W/\"abc\"", EdgeCompression.WeakETag("W/\"abc\""));
    }
}
