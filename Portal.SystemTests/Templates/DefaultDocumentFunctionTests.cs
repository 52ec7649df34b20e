using System.Text.Json.Nodes;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Infrastructure.CloudFrontFunctionRunner;

namespace Portal.Tests.Templates;

/// <summary>
/// The shared stack's default-document function, run by node with CloudFront-shaped events: a directory path is
/// served from its index.html, a path without a trailing slash and without an extension answers 301 with the
/// slash added (query kept), and a file passes through untouched.
/// </summary>
public sealed class DefaultDocumentFunctionTests
{
    private static readonly string Code = FunctionCode.Of(RenderMatrix.Renderer(RenderMatrix.DefaultSettings).RenderShared(), "DefaultDocumentFunction");

    [Theory]
    [InlineData("/", "/index.html")]
    [InlineData("/docs/", "/docs/index.html")]
    [InlineData("/docs/guide/", "/docs/guide/index.html")]
    public async Task A_directory_path_is_served_from_its_index_document(string uri, string originUri)
    {
        var result = await RunAsync(Code, ViewerRequest("docs.example.com", uri));

        Assert.Null(result["statusCode"]);
        Assert.Equal(originUri, result["uri"]!.GetValue<string>());
        Assert.Equal("GET", result["method"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/a.css")]
    [InlineData("/docs/app.min.js")]
    [InlineData("/images/logo.svg")]
    [InlineData("/.well-known/security.txt")]
    public async Task A_file_passes_through_unchanged(string uri)
    {
        var query = Query(("v", "3"));
        var result = await RunAsync(Code, ViewerRequest("docs.example.com", uri, querystring: query));

        Assert.Null(result["statusCode"]);
        Assert.Equal(uri, result["uri"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(query, result["querystring"]));
    }

    [Theory]
    [InlineData("/docs", "/docs/")]
    [InlineData("/docs/guide", "/docs/guide/")]
    [InlineData("/v1.2/guide", "/v1.2/guide/")]
    public async Task A_directory_without_its_slash_answers_301_with_the_slash(string uri, string location)
    {
        var result = await RunAsync(Code, ViewerRequest("docs.example.com", uri));

        Assert.Equal(301, result["statusCode"]!.GetValue<int>());
        Assert.Equal(location, result["headers"]!["location"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_redirect_keeps_the_query_string()
    {
        var result = await RunAsync(Code, ViewerRequest("docs.example.com", "/docs", querystring: Query(("q", "mta%20sts"), ("page", "2"))));

        Assert.Equal(301, result["statusCode"]!.GetValue<int>());
        Assert.Equal("/docs/?q=mta%20sts&page=2", result["headers"]!["location"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_redirect_keeps_repeated_and_empty_query_parameters()
    {
        var result = await RunAsync(Code, ViewerRequest("docs.example.com", "/docs", querystring: Query(("tag", "a"), ("tag", "b"), ("flag", ""))));

        Assert.Equal("/docs/?tag=a&tag=b&flag", result["headers"]!["location"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_path_starting_with_two_slashes_never_redirects_off_the_site()
    {
        var result = await RunAsync(Code, ViewerRequest("docs.example.com", "//evil-host"));

        Assert.Equal(301, result["statusCode"]!.GetValue<int>());
        Assert.Equal("/evil-host/", result["headers"]!["location"]!["value"]!.GetValue<string>());
    }
}
