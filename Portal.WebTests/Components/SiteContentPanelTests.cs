using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Components.Content;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// A site's content panel with the real publisher and queries against a site deployed to testing on the loopback AWS
/// endpoint: a zip chosen in the file picker is published with progress shown, and the version appears in the list.
/// </summary>
public sealed class SiteContentPanelTests : IAsyncLifetime
{
    private SiteInTesting _site = null!;
    private BunitContext _ctx = null!;

    public async Task InitializeAsync()
    {
        _site = await SiteInTesting.StartAsync();
        _ctx = new BunitContext();
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(_site.H.Content);
        _ctx.Services.AddSingleton(_site.H.ContentQueries);
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task A_chosen_zip_is_published_with_progress_and_listed_as_the_version_live_in_testing()
    {
        var published = new List<ContentVersionSummary>();
        var panel = await RenderAsync(TestActors.Alice, published);
        Assert.Equal("No content has been uploaded yet.", panel.Find("[data-no-versions]").TextContent);
        var sawProgress = false;
        panel.OnMarkupUpdated += (_, _) => sawProgress |= panel.Markup.Contains("data-upload-progress", StringComparison.Ordinal);

        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(
            TestZips.Site(("index.html", "<h1>from the browser</h1>"), ("css/site.css", "body{}")), "site.zip", null, "application/zip"));

        panel.WaitForAssertion(() => Assert.Contains("Content version 1 is in testing: 2 files", panel.Find("[data-upload-result]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.True(sawProgress, "a progress bar was shown while the upload ran");
        var row = panel.Find("tr[data-version='1']");
        Assert.NotNull(row.QuerySelector("[data-live=testing]"));
        Assert.Null(row.QuerySelector("[data-live=production]"));
        Assert.Contains("Testing serves version 1", panel.Find("[data-live-summary]").TextContent, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(published).Number);
        Assert.Equal("<h1>from the browser</h1>", _site.H.Aws.S3.Objects(_site.Bucket, SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"]);
    }

    [Fact]
    public async Task A_refused_zip_shows_why_and_lists_no_version()
    {
        var panel = await RenderAsync(TestActors.Alice, []);

        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(
            TestZips.Of(ZipItem.Text("index.html", "x"), TestZips.SymbolicLink("passwords", "/etc/shadow")), "site.zip", null, "application/zip"));

        panel.WaitForAssertion(() => Assert.Equal("'passwords' is a symbolic link; a site's archive may hold only files and folders.", panel.Find("[data-upload-result]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Empty(panel.FindAll("tr[data-version]"));
        Assert.Equal(0, _site.H.Aws.S3.WriteCount);
    }

    [Fact]
    public async Task Someone_who_may_not_upload_sees_why_instead_of_the_button()
    {
        var panel = await RenderAsync(TestActors.Rita, []);

        Assert.Empty(panel.FindAll("[data-upload]"));
        Assert.Equal("Only the person who made this request, or an admin, can upload its content.", panel.Find("[data-upload-unavailable]").TextContent);
    }

    [Fact]
    public async Task An_adopted_sites_old_bucket_is_copied_into_testing_with_one_click()
    {
        Assert.Empty((await RenderAsync(TestActors.Alice, [])).FindAll("[data-copy-adopted]"));
        _site.H.Aws.S3.CreateBucket("old-docs-site");
        _site.H.Aws.S3.Put("old-docs-site", "index.html", "<h1>old docs</h1>", "text/html");
        await using (var db = await _site.H.Db.CreateDbContextAsync())
        {
            // What an adoption records: its audit sentence names the distribution's origin bucket.
            db.AuditEvents.Add(AuditEvent.Create(_site.Id, 1000, 1, TestActors.Alice, DateTimeOffset.UtcNow, "Adopt", null, RequestState.Adopted,
                $"Adopted {SiteInTesting.Host} from CloudFront distribution E1U5RQF7T870K0 (Deployed), origin bucket old-docs-site (REST endpoint) with 1 object(s), 17 bytes"));
            await db.SaveChangesAsync();
        }

        var published = new List<ContentVersionSummary>();
        var panel = await RenderAsync(TestActors.Alice, published);
        panel.Find("[data-copy-adopted]").Click();

        panel.WaitForAssertion(() => Assert.Equal("Content version 1 copied from the adopted bucket old-docs-site into testing: 1 files.",
            panel.Find("[data-upload-result]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        Assert.Equal(("old-docs-site", 1), (Assert.Single(published).AdoptedFrom, published[0].Number));
        Assert.NotNull(panel.Find("tr[data-version='1']"));
        Assert.Equal("<h1>old docs</h1>", _site.H.Aws.S3.Objects(_site.Bucket, SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"]);
    }

    private async Task<IRenderedComponent<SiteContentPanel>> RenderAsync(Actor actor, List<ContentVersionSummary> published)
    {
        var request = await _site.H.RequestAsync(_site.Id);
        var panel = _ctx.Render<SiteContentPanel>(p => p
            .Add(x => x.Request, request)
            .Add(x => x.Actor, actor)
            .Add(x => x.Published, (ContentVersionSummary v) => published.Add(v)));
        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll("[aria-label='Loading content versions']")));
        return panel;
    }
}
