using Portal.Core.Requests;
using Portal.Infrastructure.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>
/// A site that answers missing paths with a page of its content refuses an upload that no longer holds that page:
/// nothing is published, and the message names the page.
/// </summary>
public sealed class UploadWithoutErrorPageTests
{
    [Fact]
    public async Task An_upload_without_the_sites_404_page_is_refused_and_testing_keeps_the_previous_content()
    {
        await using var site = await SiteInTesting.StartAsync(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], NotFoundPage = "/errors/404.html" });
        await site.PublishAsync(TestZips.Site(("index.html", "home"), ("errors/404.html", "gone")));

        var result = await site.UploadAsync(TestZips.Site(("index.html", "home v2"), ("errors/not-found.html", "renamed")));

        Assert.Null(result.Version);
        Assert.Equal(ContentProblemKind.Refused, result.Problem?.Kind);
        Assert.Equal(ContentRefusalReason.MissingErrorPage, result.Problem?.Refusal);
        Assert.Contains("/errors/404.html", result.Problem!.Message, StringComparison.Ordinal);
        var stored = site.H.Aws.S3.Current(site.Bucket, SiteInTesting.TestingPrefix);
        Assert.Equal("home", stored[SiteInTesting.TestingPrefix + "index.html"].Text);
        Assert.True(stored.ContainsKey(SiteInTesting.TestingPrefix + "errors/404.html"));
    }
}
