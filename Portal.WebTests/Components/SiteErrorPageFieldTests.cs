using Bunit;
using Microsoft.EntityFrameworkCore;
using Portal.Components.Requests;
using Portal.Core.Content;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The site form's 404 page: a value that is no page path is refused on the field; on a site with uploaded content,
/// a page the content lacks is refused on the field as soon as the person leaves it, and the save is refused too;
/// single-page mode turns the field off and saves the mode.
/// </summary>
public sealed class SiteErrorPageFieldTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public void A_value_that_is_no_page_path_is_refused_on_the_field()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        form.Find("input[data-field=notFoundPage]").Input("404.html");
        form.Find("input[data-field=notFoundPage]").Blur();

        Assert.Contains("The 404 page must be a file of the site", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_the_uploaded_content_lacks_is_refused_on_the_field_and_not_saved()
    {
        var request = await SiteWithContentAsync();
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p
            .Add(x => x.Actor, TestActors.Alice).Add(x => x.Existing, request).Add(x => x.Initial, (SiteSpec)request.CurrentRevision.Spec));

        form.Find("input[data-field=notFoundPage]").Input("/404.html");
        await form.Find("input[data-field=notFoundPage]").BlurAsync(new());

        Assert.Contains("(content version 1): upload it, or name a page the content has", form.Markup, StringComparison.Ordinal);
        var saved = await _portal.Requests.SaveAsync(
            new SaveRequestCommand(request.Id, request.Version, (SiteSpec)request.CurrentRevision.Spec with { NotFoundPage = "/404.html" }, Submit: false), TestActors.Alice);
        Assert.Equal("notFoundPage", Assert.Single(saved.Errors).Field);
        Assert.Null(((SiteSpec)(await _portal.Requests.GetAsync(request.Id))!.CurrentRevision.Spec).NotFoundPage);
    }

    [Fact]
    public async Task A_page_the_content_has_is_saved()
    {
        var request = await SiteWithContentAsync();
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p
            .Add(x => x.Actor, TestActors.Alice).Add(x => x.Existing, request).Add(x => x.Initial, (SiteSpec)request.CurrentRevision.Spec));

        form.Find("input[data-field=notFoundPage]").Input("/errors/404.html");
        await form.Find("input[data-field=notFoundPage]").BlurAsync(new());
        await form.Find("button[data-save-draft]").ClickAsync(new());

        Assert.DoesNotContain("uploaded content", form.Markup, StringComparison.Ordinal);
        Assert.Equal("/errors/404.html", ((SiteSpec)(await _portal.Requests.GetAsync(request.Id))!.CurrentRevision.Spec).NotFoundPage);
    }

    [Fact]
    public async Task Single_page_mode_turns_the_404_page_off_and_is_saved()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        form.Find("input[data-field=host]").Input("app.example.com");
        form.Find("input[data-field=hostedZoneName]").Input("example.com");
        form.Find("input[data-field=hostedZoneId]").Input("Z0123456789ABC");

        await form.Find("input[data-field=singlePageApplication]").ChangeAsync(new() { Value = true });
        await form.Find("button[data-save-draft]").ClickAsync(new());

        Assert.True(form.Find("input[data-field=notFoundPage]").HasAttribute("disabled"));
        var created = Assert.Single((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
        Assert.True(((SiteSpec)(await _portal.Requests.GetAsync(created.Id))!.CurrentRevision.Spec).SinglePageApplication);
    }

    /// <summary>A draft site with a content version 1 (index.html and errors/404.html) stored as an upload stores it.</summary>
    private async Task<Core.Requests.PortalRequest> SiteWithContentAsync()
    {
        var created = await _portal.Requests.SaveAsync(new SaveRequestCommand(null, null, TestSpecs.Site("docs.example.com") with { RedirectFrom = [] }, Submit: false), TestActors.Alice);
        Assert.True(created.Succeeded, created.Message);
        await using (var db = await _portal.Db.CreateDbContextAsync())
        {
            var request = await db.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).SingleAsync(r => r.Id == created.RequestId);
            var now = _portal.Clock.GetUtcNow();
            ContentFile[] files = [new("index.html", 10, new string('a', 64), "v1", "text/html", null), new("errors/404.html", 10, new string('b', 64), "v1", "text/html", null)];
            db.ContentVersions.Add(ContentVersion.Create(Guid.CreateVersion7(now), request.Id, 1, request.CurrentRevisionNumber, ContentSource.Upload, TestActors.Alice, now,
                files, new string('c', 64), ContentDiff.Between(null, files), null, null, bucket: null));
            await db.SaveChangesAsync();
        }

        return (await _portal.Requests.GetAsync(created.RequestId))!;
    }
}
