namespace Portal.Core.Content;

/// <summary>
/// The Content-Type a site's file is stored with, by its extension. S3 serves whatever type an object was given and
/// browsers honour <c>X-Content-Type-Options: nosniff</c>, so a wrong type breaks a script or a stylesheet outright.
/// </summary>
public static class ContentTypes
{
    public const string Fallback = "application/octet-stream";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        // Documents and code
        [".html"] = "text/html; charset=utf-8",
        [".htm"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".cjs"] = "text/javascript; charset=utf-8",
        [".json"] = "application/json",
        [".map"] = "application/json",
        [".jsonld"] = "application/ld+json",
        [".webmanifest"] = "application/manifest+json",
        [".xml"] = "application/xml",
        [".xsl"] = "application/xml",
        [".rss"] = "application/rss+xml",
        [".atom"] = "application/atom+xml",
        [".txt"] = "text/plain; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".ics"] = "text/calendar; charset=utf-8",
        [".vtt"] = "text/vtt; charset=utf-8",
        [".yaml"] = "application/yaml",
        [".yml"] = "application/yaml",
        [".wasm"] = "application/wasm",
        [".pdf"] = "application/pdf",

        // Images
        [".png"] = "image/png",
        [".apng"] = "image/apng",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".avif"] = "image/avif",
        [".jxl"] = "image/jxl",
        [".svg"] = "image/svg+xml",
        [".ico"] = "image/vnd.microsoft.icon",
        [".bmp"] = "image/bmp",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",

        // Fonts
        [".woff"] = "font/woff",
        [".woff2"] = "font/woff2",
        [".ttf"] = "font/ttf",
        [".otf"] = "font/otf",
        [".eot"] = "application/vnd.ms-fontobject",

        // Audio and video
        [".mp3"] = "audio/mpeg",
        [".m4a"] = "audio/mp4",
        [".ogg"] = "audio/ogg",
        [".oga"] = "audio/ogg",
        [".opus"] = "audio/opus",
        [".wav"] = "audio/wav",
        [".flac"] = "audio/flac",
        [".mp4"] = "video/mp4",
        [".m4v"] = "video/mp4",
        [".webm"] = "video/webm",
        [".ogv"] = "video/ogg",
        [".mov"] = "video/quicktime",

        // Downloads
        [".zip"] = "application/zip",
        [".gz"] = "application/gzip",
        [".tar"] = "application/x-tar",
        [".7z"] = "application/x-7z-compressed",
        [".epub"] = "application/epub+zip",
        [".glb"] = "model/gltf-binary",
        [".gltf"] = "model/gltf+json",
    };

    /// <summary>The type for a path such as <c>css/site.css</c>; <see cref="Fallback"/> when the extension is unknown or missing.</summary>
    public static string For(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = path[(path.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        return dot <= 0 ? Fallback : ByExtension.GetValueOrDefault(name[dot..], Fallback);
    }
}
