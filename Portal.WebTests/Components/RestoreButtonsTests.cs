using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Components.Content;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Content;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The request page's rollback: the content list offers "Restore to testing" on the versions the site still keeps,
/// marks older ones "no longer restorable", and restores only after the confirmation; the revisions list offers
/// "Restore this revision" to the owner and makes a new revision after the confirmation.
/// </summary>
public sealed class RestoreButtonsTests : IAsyncLifetime
{
    private SiteInTesting _site = null!;
    private BunitContext _ctx = null!;

    public async Task InitializeAsync()
    {
        _site = await SiteInTesting.StartAsync(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], KeepContentVersions = 2 });
        _ctx = new BunitContext();
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(_site.H.Content);
        _ctx.Services.AddSingleton(_site.H.ContentQueries);
        _ctx.Services.AddSingleton(_site.H.Requests);
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _site.DisposeAsync();
    }

    [Fact]
    public async Task Kept_versions_offer_a_restore_older_ones_say_they_are_no_longer_restorable()
    {
        for (var i = 1; i <= 4; i++)
        {
            await _site.PublishAsync(TestZips.Site(("index.html", $"home {i}")));
        }

        var panel = await RenderContentAsync(TestActors.Alice);

        Assert.Equal(["2", "3"], panel.FindAll("button[data-restore]").Select(b => b.GetAttribute("data-restore")).Order());
        Assert.Equal("no longer restorable", panel.Find("tr[data-version='1'] [data-expired]").TextContent.Trim());
        Assert.Empty(panel.FindAll("tr[data-version='4'] button, tr[data-version='4'] [data-expired]"));
    }

    [Fact]
    public async Task A_restore_happens_only_once_confirmed_and_the_restored_version_is_listed()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "old home")));
        await _site.PublishAsync(TestZips.Site(("index.html", "new home")));
        var dialogs = _ctx.Render<MudBlazor.MudDialogProvider>();
        var panel = await RenderContentAsync(TestActors.Alice);

        await panel.Find("button[data-restore='1']").ClickAsync(new());
        Assert.Contains("Testing will serve content version 1 again", dialogs.WaitForElement("[data-confirm-text]").TextContent, StringComparison.Ordinal);
        await dialogs.Find("button[data-cancel=restore-content]").ClickAsync(new());
        Assert.Equal("new home", Testing());

        await panel.Find("button[data-restore='1']").ClickAsync(new());
        await dialogs.WaitForElement("button[data-confirm=restore-content]").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Contains("Content version 3 (restored from 1) is in testing", panel.Find("[data-upload-result]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("old home", Testing());
        Assert.Contains("(restored from version 1)", panel.Find("tr[data-version='3']").TextContent, StringComparison.Ordinal);
        Assert.NotNull(panel.Find("tr[data-version='3'] [data-live=testing]"));
    }

    [Fact]
    public async Task Someone_who_may_not_upload_is_offered_no_restore()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "old home")));
        await _site.PublishAsync(TestZips.Site(("index.html", "new home")));

        var panel = await RenderContentAsync(TestActors.Rita);

        Assert.Empty(panel.FindAll("button[data-restore]"));
    }

    [Fact]
    public async Task The_owner_restores_an_earlier_revision_after_confirming_and_others_are_offered_nothing()
    {
        var revised = await _site.H.Requests.ReviseAsync(_site.Id, TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], Csp = "default-src 'none'" }, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.TestingReady, RequestState.TestingFailed);
        var request = await _site.H.RequestAsync(_site.Id);
        var dialogs = _ctx.Render<MudBlazor.MudDialogProvider>();
        RequestCommandResult? restored = null;

        Assert.Empty(_ctx.Render<RevisionsPanel>(p => p.Add(x => x.Request, request).Add(x => x.Actor, TestActors.Rita)).FindAll("button[data-restore-revision]"));
        var panel = _ctx.Render<RevisionsPanel>(p => p.Add(x => x.Request, request).Add(x => x.Actor, TestActors.Alice).Add(x => x.Restored, (RequestCommandResult r) => restored = r));
        Assert.Equal(["1"], panel.FindAll("button[data-restore-revision]").Select(b => b.GetAttribute("data-restore-revision")));

        await panel.Find("button[data-restore-revision='1']").ClickAsync(new());
        Assert.Contains("A new revision 3 is made with the settings of revision 1", dialogs.WaitForElement("[data-confirm-text]").TextContent, StringComparison.Ordinal);
        await dialogs.Find("button[data-confirm=restore-revision]").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.NotNull(restored));
        Assert.True(restored!.Succeeded, restored.Message);
        var stored = await _site.H.RequestAsync(_site.Id);
        Assert.Equal((3, SiteSpec.DefaultCsp), (stored.CurrentRevisionNumber, ((SiteSpec)stored.CurrentRevision.Spec).Csp));
    }

    private string Testing() => _site.H.Aws.S3.Objects(_site.Bucket, SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"];

    private async Task<IRenderedComponent<SiteContentPanel>> RenderContentAsync(Actor actor)
    {
        var request = await _site.H.RequestAsync(_site.Id);
        var panel = _ctx.Render<SiteContentPanel>(p => p.Add(x => x.Request, request).Add(x => x.Actor, actor));
        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll("[aria-label='Loading content versions']")));
        return panel;
    }
}
