using Portal.Core.Content;
using Portal.Core.Health;
using Portal.Core.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>What a site's check expects for a missing path: from its 404 page or single-page setting and the content served.</summary>
public sealed class MissingPathExpectationTests
{
    private static readonly IReadOnlyList<ContentFile> Content =
    [
        new("index.html", 10, "aaaa", "v1", "text/html", null),
        new("errors/404.html", 10, "bbbb", "v1", "text/html", null),
    ];

    [Fact]
    public void A_404_page_expects_404_with_that_pages_bytes() =>
        Assert.Equal(new MissingPathExpectation(404, "/errors/404.html", "bbbb"),
            MissingPathCheck.For(TestSpecs.Site("docs.example.com") with { NotFoundPage = "/errors/404.html" }, Content));

    [Fact]
    public void Single_page_mode_expects_index_html_with_200() =>
        Assert.Equal(new MissingPathExpectation(200, "/index.html", "aaaa"),
            MissingPathCheck.For(TestSpecs.Site("docs.example.com") with { SinglePageApplication = true }, Content));

    [Fact]
    public void No_setting_expects_cloudfronts_error_and_unknown_content_only_the_status()
    {
        Assert.Equal(new MissingPathExpectation(null, null, null), MissingPathCheck.For(TestSpecs.Site("docs.example.com"), Content));
        Assert.Equal(new MissingPathExpectation(404, "/404.html", null), MissingPathCheck.For(TestSpecs.Site("docs.example.com") with { NotFoundPage = "/404.html" }, null));
    }

    [Fact]
    public void Each_check_asks_for_its_own_path_with_an_extension()
    {
        var first = MissingPathCheck.MissingPath(Guid.NewGuid());

        Assert.NotEqual(first, MissingPathCheck.MissingPath(Guid.NewGuid()));
        Assert.EndsWith(".html", first, StringComparison.Ordinal);
    }
}
