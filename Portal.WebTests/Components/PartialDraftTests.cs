using Bunit;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// A draft is saved with only its name; the edit page of a draft offers "Save draft" and "Save and submit"; submitting
/// runs every rule, from the form and from the request's page alike.
/// </summary>
public sealed class PartialDraftTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    private RequestService Service => _portal.Requests;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task A_new_site_is_saved_as_a_draft_with_only_its_host()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        form.Find("input[data-field=host]").Input("docs.example.com");

        await form.Find("button[data-save-draft]").ClickAsync(new());

        var created = Assert.Single((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
        Assert.Equal(("docs.example.com", RequestState.Draft), (created.Name, created.State));
    }

    [Fact]
    public async Task A_draft_without_a_host_is_refused_on_the_host_field()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        await form.Find("button[data-save-draft]").ClickAsync(new());

        Assert.Contains("Host is required.", form.Markup, StringComparison.Ordinal);
        Assert.Empty((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
    }

    [Fact]
    public async Task The_edit_page_of_a_draft_offers_save_draft_and_save_and_submit_and_submit_runs_every_rule()
    {
        var id = (await Service.CreateAsync(new SiteSpec { Host = "docs.example.com" }, TestActors.Alice, submit: false)).RequestId;
        var draft = (await Service.GetAsync(id))!;
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice)
            .Add(x => x.Initial, (SiteSpec)draft.CurrentRevision.Spec).Add(x => x.Existing, draft));

        Assert.Equal("Save draft", form.Find("button[data-save-draft]").TextContent.Trim());
        Assert.Equal("Save and submit", form.Find("button[data-submit]").TextContent.Trim());

        form.Find("input[data-field=hostedZoneName]").Input("example.com");
        await form.Find("button[data-save-draft]").ClickAsync(new());
        var saved = (await Service.GetAsync(id))!;
        Assert.Equal((RequestState.Draft, "example.com"), (saved.State, ((SiteSpec)saved.CurrentRevision.Spec).HostedZoneName));

        var submitting = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice)
            .Add(x => x.Initial, (SiteSpec)saved.CurrentRevision.Spec).Add(x => x.Existing, saved));
        await submitting.Find("button[data-submit]").ClickAsync(new());
        Assert.Contains("Hosted zone id is required.", submitting.Markup, StringComparison.Ordinal);
        Assert.Equal(RequestState.Draft, (await Service.GetAsync(id))!.State);
    }

    [Fact]
    public async Task Submitting_an_unfinished_draft_from_its_page_is_refused_with_the_field_messages()
    {
        var id = (await Service.CreateAsync(new MtaStsSpec { Domain = "example.com" }, TestActors.Alice, submit: false)).RequestId;

        var result = await Service.ApplyAsync(id, WorkflowAction.Submit, TestActors.Alice);

        Assert.Equal(RefusalCode.Invalid, result.Code);
        Assert.Contains(result.Errors, e => e.Field == "mx");
        Assert.Equal(RequestState.Draft, (await Service.GetAsync(id))!.State);
    }
}
