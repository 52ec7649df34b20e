using Portal.Core.Requests;

namespace Portal.Tests.Requests;

/// <summary>
/// A site's 404 page is a path of its content (checked as typed, and against the uploaded content once there is
/// some); single-page mode needs index.html and excludes a 404 page; the request page says how a missing path answers.
/// </summary>
public sealed class SiteErrorPagesTests
{
    private static readonly SiteSpec Site = new() { Host = "docs.example.com", HostedZoneId = "Z0123456789ABC", HostedZoneName = "example.com", RedirectFrom = [] };

    private static readonly string[] Content = ["index.html", "errors/404.html"];

    [Theory]
    [InlineData("/404.html")]
    [InlineData("/errors/not-found.html")]
    [InlineData("/errors/v1.2~x_y.htm")]
    public void A_path_of_the_content_is_accepted(string page)
    {
        Assert.DoesNotContain(SpecValidator.Validate(Site with { NotFoundPage = page }).Errors, e => e.Field == "notFoundPage");
    }

    [Theory]
    [InlineData("404.html")]
    [InlineData("/errors/")]
    [InlineData("/../404.html")]
    [InlineData("/a b.html")]
    [InlineData("/404.html?x=1")]
    [InlineData("https://example.com/404.html")]
    public void Anything_else_is_refused_saying_what_a_page_path_looks_like(string page)
    {
        var error = Assert.Single(SpecValidator.Validate(Site with { NotFoundPage = page }).Errors, e => e.Field == "notFoundPage");

        Assert.StartsWith("The 404 page must be a file of the site's content as a path such as /404.html", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"got '{page}'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_longer_than_cloudfront_takes_is_refused()
    {
        Assert.Single(SpecValidator.Validate(Site with { NotFoundPage = "/" + new string('a', SiteErrorPages.MaxPathLength) }).Errors, e => e.Field == "notFoundPage");
    }

    [Fact]
    public void A_single_page_application_has_no_404_page()
    {
        var error = Assert.Single(SpecValidator.Validate(Site with { NotFoundPage = "/404.html", SinglePageApplication = true }).Errors, e => e.Field == "notFoundPage");

        Assert.Equal("A single-page application answers every unknown path with /index.html, so it has no 404 page: clear the 404 page or turn single-page mode off.", error.Message);
    }

    [Fact]
    public void A_page_the_uploaded_content_lacks_is_refused_naming_the_content_version()
    {
        Assert.Null(SiteErrorPages.CheckAgainstContent(Site with { NotFoundPage = "/errors/404.html" }, Content, 3));
        Assert.Equal(
            new FieldError("notFoundPage", "/404.html is not in the site's uploaded content (content version 3): upload it, or name a page the content has (paths are case-sensitive)."),
            SiteErrorPages.CheckAgainstContent(Site with { NotFoundPage = "/404.html" }, Content, 3));
        Assert.Equal("notFoundPage", SiteErrorPages.CheckAgainstContent(Site with { NotFoundPage = "/Errors/404.html" }, Content)?.Field);
    }

    [Fact]
    public void Single_page_mode_needs_index_html_in_the_content()
    {
        Assert.Null(SiteErrorPages.CheckAgainstContent(Site with { SinglePageApplication = true }, Content));
        Assert.Equal(
            new FieldError("singlePageApplication", "Single-page mode serves /index.html for unknown paths, but the site's uploaded content has no index.html."),
            SiteErrorPages.CheckAgainstContent(Site with { SinglePageApplication = true }, ["errors/404.html"]));
    }

    [Fact]
    public void Before_any_upload_nothing_is_checked_against_content()
    {
        Assert.Null(SiteErrorPages.CheckAgainstContent(Site with { NotFoundPage = "/404.html" }, null));
        Assert.Null(SiteErrorPages.CheckAgainstContent(Site with { SinglePageApplication = true }, null));
    }

    [Fact]
    public void The_request_page_says_how_a_missing_path_answers()
    {
        Assert.Equal(["CloudFront's error (403)"], UnknownPaths(Site));
        Assert.Equal(["/404.html with 404"], UnknownPaths(Site with { NotFoundPage = "/404.html" }));
        Assert.Equal(["/index.html with 200 (single-page application)"], UnknownPaths(Site with { SinglePageApplication = true }));
    }

    [Fact]
    public void The_settings_survive_the_specs_json()
    {
        var spec = Site with { NotFoundPage = "/404.html", SinglePageApplication = true };

        var parsed = (SiteSpec)RequestSpecJson.Parse(RequestSpecJson.Serialize(spec)).Spec!;

        Assert.Equal(("/404.html", true), (parsed.NotFoundPage, parsed.SinglePageApplication));
    }

    private static IReadOnlyList<string> UnknownPaths(SiteSpec site) => SpecFields.Of(site).Single(f => f.Label == "Unknown paths").Values;
}
