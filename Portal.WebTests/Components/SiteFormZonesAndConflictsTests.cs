using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Infrastructure.Teams;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The site form offers the zones the person may use, refuses one outside them with a message and saves nothing, and
/// shows a name another request holds before anything is submitted.
/// </summary>
public sealed class SiteFormZonesAndConflictsTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    private TeamAdministration Admin => _portal.Bunit.Services.GetRequiredService<TeamAdministration>();

    public async Task InitializeAsync()
    {
        _portal = await PortalComponentContext.CreateAsync();
        Assert.True((await Admin.AllowZoneAsync(TestActors.Dana, TestSpecs.ZoneId, TestSpecs.ZoneName, TeamAdministration.Everyone)).Succeeded);
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task A_zone_outside_the_persons_allowed_zones_is_refused_by_the_form_and_nothing_is_saved()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        Fill(form, "host", "docs.example.org");
        Fill(form, "hostedZoneName", "example.org");
        Fill(form, "hostedZoneId", "Z0OTHERZONE");

        await form.Find("button[data-submit]").ClickAsync(new());

        Assert.Contains("The hosted zone example.org (Z0OTHERZONE) is not one you may use (allowed: example.com).", form.Markup, StringComparison.Ordinal);
        Assert.Equal(0, (await _portal.Queries.ListAsync(new RequestListQuery())).TotalCount);
    }

    [Fact]
    public async Task The_picker_offers_the_allowed_zone_and_one_click_fills_name_and_id()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        Fill(form, "host", "docs.example.com");

        await form.Find("[data-allowed-zones] [data-zone='example.com']").ClickAsync(new());
        form.Find("textarea[data-field=redirectFrom]").Input("");
        await form.Find("button[data-submit]").ClickAsync(new());

        var saved = Assert.Single((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
        var spec = (SiteSpec)(await _portal.Requests.GetAsync(saved.Id))!.CurrentRevision.Spec;
        Assert.Equal((TestSpecs.ZoneName, TestSpecs.ZoneId), (spec.HostedZoneName, spec.HostedZoneId));
    }

    [Fact]
    public async Task A_name_another_request_holds_is_shown_as_a_conflict_before_submit()
    {
        Assert.True((await _portal.Requests.CreateAsync(TestSpecs.Site("docs.example.com"), TestActors.Rita, submit: false)).Succeeded);
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        Fill(form, "host", "docs.example.com");
        await form.Find("input[data-field=host]").BlurAsync(new());

        var conflict = form.WaitForElement("[data-conflicts] [data-conflict=host]");
        Assert.Equal("'docs.example.com' already belongs to a request of Rita Requester (a draft).", conflict.TextContent);
        Assert.Equal(1, (await _portal.Queries.ListAsync(new RequestListQuery())).TotalCount);
    }

    private static void Fill(IRenderedComponent<SiteRequestForm> form, string field, string value) =>
        form.Find($"input[data-field='{field}']").Input(value);
}
