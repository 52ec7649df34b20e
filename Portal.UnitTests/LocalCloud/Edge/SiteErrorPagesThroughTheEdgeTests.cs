using System.Text;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Templates;
using Portal.LocalCloud.Edge;
using Portal.LocalCloud.S3;
using Portal.Tests.Templates;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// The rendered site stack, deployed into the local cloud's edge: a path the site does not have answers with the
/// site's 404 page and status 404, or, in single-page mode, with /index.html and 200; a site with neither keeps
/// S3's 403 AccessDenied through CloudFront. Pages that exist are served as before.
/// </summary>
public sealed class SiteErrorPagesThroughTheEdgeTests
{
    private const string NotFoundHtml = "<h1>No such page on help.example.com</h1>";
    private const string IndexHtml = "<!doctype html><div id=app></div>";

    [Fact]
    public void A_missing_path_answers_404_with_the_sites_page()
    {
        var edge = Deploy("site-not-found-page", ("errors/404.html", NotFoundHtml));

        var missing = edge.Get("/no/such/page.html");
        var present = edge.Get("/");

        Assert.Equal((404, NotFoundHtml), (missing.Status, Text(missing)));
        Assert.Equal("text/html", missing.Headers["Content-Type"]);
        Assert.Equal((200, IndexHtml), (present.Status, Text(present)));
    }

    [Fact]
    public void A_missing_path_of_a_single_page_application_answers_200_with_index_html()
    {
        var edge = Deploy("site-single-page-app");

        var route = edge.Get("/orders/42");
        var folder = edge.Get("/orders/");
        var root = edge.Get("/");

        Assert.Equal((200, IndexHtml), (route.Status, Text(route)));
        Assert.Equal((200, IndexHtml), (folder.Status, Text(folder)));
        Assert.Equal((200, IndexHtml), (root.Status, Text(root)));
    }

    [Fact]
    public void A_site_with_neither_keeps_s3s_access_denied()
    {
        var edge = Deploy("site-defaults");

        var missing = edge.Get("/no/such/page.html");

        Assert.Equal(403, missing.Status);
        Assert.Contains("<Code>AccessDenied</Code>", Text(missing), StringComparison.Ordinal);
    }

    private static string Text(EdgeResponse response) => Encoding.UTF8.GetString(response.Body);

    /// <summary>The spec's testing stacks (with the shared and headers stacks) in a local cloud, its content uploaded.</summary>
    private static DeployedSite Deploy(string spec, params (string Path, string Body)[] files)
    {
        var result = RenderMatrix.Render(spec, "testing", "default");
        Assert.True(result.IsSuccess);
        var site = result.Stacks.Single(s => s.Kind == StackKind.Site);
        var index = DeployedStacks.Index([RenderMatrix.Renderer(RenderMatrix.DefaultSettings).RenderShared(), .. result.HeadersStacks, .. result.Stacks]);
        var s3 = new S3Service(new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero)));
        var bucket = DeployedStacks.ContentBucketOf(site);
        var host = site.Parameter("SiteName")!;
        var prefix = $"testing/{host}/";
        s3.CreateBucket(bucket);
        s3.Put(bucket, prefix + "index.html", IndexHtml, "text/html");
        foreach (var (path, body) in files)
        {
            s3.Put(bucket, prefix + path, body, "text/html");
        }

        return new DeployedSite(new EdgeRequestHandler(index, s3, new CloudFrontFunctionRuntime(TimeSpan.FromSeconds(5)), () => 8443), "test." + host);
    }

    private sealed record DeployedSite(EdgeRequestHandler Handler, string Host)
    {
        public EdgeResponse Get(string path) =>
            Handler.Handle(new EdgeRequest(true, Host, "GET", path, "", [new("Host", Host)], "198.51.100.11"));
    }
}
