using Portal.Core.Requests;
using Portal.Infrastructure.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>
/// What a pipeline published to testing is held to the rule an upload is: when it lacks the page the site answers
/// missing paths with (its 404 page, or index.html in single-page mode), it is not recorded as a content version, so
/// it can never be approved for production; the refusal names the page, as an upload's does.
/// </summary>
public sealed class PipelineContentWithoutErrorPageTests
{
    [Fact]
    public async Task Testing_content_without_the_sites_404_page_is_not_recorded_until_the_page_is_there()
    {
        await using var site = await SiteInTesting.StartAsync(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], NotFoundPage = "/errors/404.html" });
        site.H.Aws.S3.Put(site.Bucket, SiteInTesting.TestingPrefix + "index.html", "from CI", "text/html");
        site.H.Aws.S3.Put(site.Bucket, SiteInTesting.TestingPrefix + "errors/not-found.html", "renamed by CI", "text/html");

        var recorded = await site.H.Content.RecordTestingAsync(site.Id, TestActors.Alice);

        Assert.Null(recorded.Version);
        Assert.Equal((ContentProblemKind.Refused, ContentRefusalReason.MissingErrorPage), (recorded.Problem?.Kind, recorded.Problem?.Refusal));
        Assert.Equal(
            "Testing holds no /errors/404.html, the site's 404 page; nothing was recorded. Publish it to testing (paths are case-sensitive), or change the 404 page in a new revision first.",
            recorded.Problem!.Message);
        Assert.Empty((await site.H.ContentQueries.VersionsAsync(site.Id)).Versions);

        // Once the pipeline publishes the page as well, what testing holds is recorded.
        site.H.Aws.S3.Put(site.Bucket, SiteInTesting.TestingPrefix + "errors/404.html", "gone", "text/html");
        var again = await site.H.Content.RecordTestingAsync(site.Id, TestActors.Alice);
        Assert.True(again.Succeeded, again.Problem?.Message);
        Assert.Equal((1, 3), (again.Version!.Number, again.Version.FileCount));
    }

    [Fact]
    public async Task Testing_content_without_index_html_is_not_recorded_for_a_single_page_application()
    {
        await using var site = await SiteInTesting.StartAsync(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], SinglePageApplication = true });
        site.H.Aws.S3.Put(site.Bucket, SiteInTesting.TestingPrefix + "app.html", "from CI", "text/html");

        var recorded = await site.H.Content.RecordTestingAsync(site.Id, TestActors.Alice);

        Assert.Equal(ContentRefusalReason.MissingErrorPage, recorded.Problem?.Refusal);
        Assert.StartsWith("Testing holds no index.html, which single-page mode serves for every unknown path; nothing was recorded.", recorded.Problem!.Message, StringComparison.Ordinal);
        Assert.Empty((await site.H.ContentQueries.VersionsAsync(site.Id)).Versions);
    }
}
