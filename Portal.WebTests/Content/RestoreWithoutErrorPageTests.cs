using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>
/// A content version from before the site named its 404 page may lack it: restoring it to testing is refused as an
/// upload without the page is, and testing keeps what it serves.
/// </summary>
public sealed class RestoreWithoutErrorPageTests
{
    [Fact]
    public async Task A_version_without_the_404_page_the_site_names_now_is_not_restored()
    {
        await using var site = await SiteInTesting.StartAsync();
        var first = await site.PublishAsync(TestZips.Site(("index.html", "first home")));
        await site.PublishAsync(TestZips.Site(("index.html", "second home"), ("404.html", "gone")));
        var revised = await site.H.Requests.ReviseAsync(site.Id, TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], NotFoundPage = "/404.html" }, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);
        await site.H.RunUntilStateAsync(site.Id, RequestState.TestingReady, RequestState.TestingFailed);

        var refused = await site.H.Content.RestoreAsync(site.Id, first.Number, TestActors.Alice);

        Assert.Null(refused.Version);
        Assert.Equal((ContentProblemKind.Refused, ContentRefusalReason.MissingErrorPage), (refused.Problem?.Kind, refused.Problem?.Refusal));
        Assert.StartsWith("Content version 1 has no /404.html, the site's 404 page; nothing was restored.", refused.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(
            new Dictionary<string, string> { [SiteInTesting.TestingPrefix + "index.html"] = "second home", [SiteInTesting.TestingPrefix + "404.html"] = "gone" },
            site.H.Aws.S3.Objects(site.Bucket, SiteInTesting.TestingPrefix));
        Assert.Equal(2, (await site.H.ContentQueries.VersionsAsync(site.Id)).Versions.Count);
    }
}
