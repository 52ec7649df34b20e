using System.IO.Compression;

namespace Portal.LocalCloud.Edge;

/// <summary>
/// CloudFront's automatic compression: when the behaviour compresses, the viewer accepts <c>br</c> or <c>gzip</c>
/// (Brotli preferred), the object is of a type CloudFront compresses, between 1,000 and 10,000,000 bytes, and not
/// already encoded. The ETag becomes weak, as CloudFront converts it.
/// </summary>
public static class EdgeCompression
{
    public const int MinBytes = 1_000;
    public const int MaxBytes = 10_000_000;

    /// <summary>The content types CloudFront's documentation lists as compressed ("File types that CloudFront compresses").</summary>
    public static readonly IReadOnlySet<string> CompressibleTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "application/dash+xml", "application/eot", "application/font", "application/font-sfnt", "application/javascript",
        "application/json", "application/opentype", "application/otf", "application/pdf", "application/pkcs7-mime",
        "application/protobuf", "application/rss+xml", "application/truetype", "application/ttf",
        "application/vnd.apple.mpegurl", "application/vnd.mapbox-vector-tile", "application/vnd.ms-fontobject",
        "application/wasm", "application/xhtml+xml", "application/xml", "application/x-font-opentype",
        "application/x-font-truetype", "application/x-font-ttf", "application/x-httpd-cgi", "application/x-javascript",
        "application/x-mpegurl", "application/x-opentype", "application/x-otf", "application/x-perl", "application/x-ttf",
        "font/eot", "font/opentype", "font/otf", "font/ttf", "image/svg+xml", "text/css", "text/csv", "text/html",
        "text/javascript", "text/js", "text/plain", "text/richtext", "text/tab-separated-values", "text/xml",
        "text/x-component", "text/x-java-source", "text/x-script", "vnd.apple.mpegurl",
    };

    /// <summary>The encoding to use (<c>br</c>, <c>gzip</c>) or null to send the object as it is.</summary>
    public static string? Choose(string? acceptEncoding, string? contentType, int length, string? contentEncoding)
    {
        if (acceptEncoding is null || contentType is null || contentEncoding is not null || length is < MinBytes or > MaxBytes)
        {
            return null;
        }

        var mediaType = contentType.Split(';')[0].Trim();
        if (!CompressibleTypes.Contains(mediaType))
        {
            return null;
        }

        var accepted = acceptEncoding.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(token => token.Split(';', StringSplitOptions.TrimEntries))
            .Where(parts => !parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0" or "q=0.00" or "q=0.000"))
            .Select(parts => parts[0].ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        return accepted.Contains("br") ? "br" : accepted.Contains("gzip") ? "gzip" : null;
    }

    public static byte[] Compress(byte[] content, string encoding)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var output = new MemoryStream();
        using (Stream compressor = encoding == "br"
            ? new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true)
            : new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(content);
        }

        return output.ToArray();
    }

    public static string WeakETag(string etag) => etag.StartsWith("W/", StringComparison.Ordinal) ? etag : "W/" + etag;
}
