using Portal.Core.Content;
using Portal.Infrastructure.Content;

namespace Portal.Tests.Content;

/// <summary>A file's Content-Type comes from its extension; with nosniff, a wrong type breaks the page, so the common web types are exact.</summary>
public sealed class ContentTypeTests
{
    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("A/B/PAGE.HTML", "text/html; charset=utf-8")]
    [InlineData("app.mjs", "text/javascript; charset=utf-8")]
    [InlineData("app.js.map", "application/json")]
    [InlineData("site.webmanifest", "application/manifest+json")]
    [InlineData("logo.svg", "image/svg+xml")]
    [InlineData("favicon.ico", "image/vnd.microsoft.icon")]
    [InlineData("font.woff2", "font/woff2")]
    [InlineData("module.wasm", "application/wasm")]
    [InlineData(".well-known/security.txt", "text/plain; charset=utf-8")]
    [InlineData("Makefile", "application/octet-stream")]
    [InlineData(".htaccess", "application/octet-stream")]
    [InlineData("archive.unknownext", "application/octet-stream")]
    [InlineData("dir.v2/README", "application/octet-stream")]
    public void The_type_follows_the_extension(string path, string type) => Assert.Equal(type, ContentTypes.For(path));
}
