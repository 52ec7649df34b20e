using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Dns;
using Portal.Infrastructure.Requests;
using Portal.Infrastructure.Teams;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The MTA-STS form offers what the site form does: the person's teams, the zones allowed to the chosen team (one click
/// fills name and id), a refusal for a zone outside them with nothing saved, and a domain another request holds shown
/// before submit.
/// </summary>
public sealed class MtaStsFormZonesAndTeamsTests : IAsyncLifetime
{
    private static readonly Actor Alice = TestActors.Alice with { Teams = new HashSet<string>(["mail"], StringComparer.Ordinal) };

    private PortalComponentContext _portal = default!;

    private TeamAdministration Admin => _portal.Bunit.Services.GetRequiredService<TeamAdministration>();

    public async Task InitializeAsync()
    {
        _portal = await PortalComponentContext.CreateAsync(services =>
            services.AddSingleton(new MxLookup(MxLookup.CreateClient(new DnsOptions { Servers = ["127.0.0.1:9"], Timeout = TimeSpan.FromMilliseconds(200) }))));
        Assert.True((await Admin.SaveTeamAsync(TestActors.Dana, "mail", "Mail team")).Succeeded);
        Assert.True((await Admin.AllowZoneAsync(TestActors.Dana, TestSpecs.ZoneId, TestSpecs.ZoneName, "mail")).Succeeded);
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Choosing_the_team_offers_its_zone_and_the_request_is_saved_in_the_team_with_that_zone()
    {
        var form = _portal.Bunit.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, Alice));
        Assert.NotNull(form.Find("[data-no-zones]"));
        Assert.Empty(form.FindAll("[data-allowed-zones]"));

        var team = form.FindComponent<MudSelect<string>>();
        await form.InvokeAsync(() => team.Instance.ValueChanged.InvokeAsync("mail"));
        form.Find("input[data-field=domain]").Input("example.com");
        form.Find("textarea[data-field=mx]").Input("mx1.example.com");
        await form.Find("[data-allowed-zones] [data-zone='example.com']").ClickAsync(new());
        await form.Find("button[data-submit]").ClickAsync(new());

        var saved = Assert.Single((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
        var request = (await _portal.Requests.GetAsync(saved.Id))!;
        var spec = (MtaStsSpec)request.CurrentRevision.Spec;
        Assert.Equal(("mail", TestSpecs.ZoneName, TestSpecs.ZoneId), (request.TeamId, spec.HostedZoneName, spec.HostedZoneId));
    }

    [Fact]
    public async Task A_zone_outside_the_teams_zones_is_refused_by_the_form_and_nothing_is_saved()
    {
        var form = _portal.Bunit.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, Alice));
        var team = form.FindComponent<MudSelect<string>>();
        await form.InvokeAsync(() => team.Instance.ValueChanged.InvokeAsync("mail"));
        form.Find("input[data-field=domain]").Input("example.org");
        form.Find("textarea[data-field=mx]").Input("mx1.example.org");
        form.Find("input[data-field=hostedZoneName]").Input("example.org");
        form.Find("input[data-field=hostedZoneId]").Input("Z0OTHERZONE");

        await form.Find("button[data-submit]").ClickAsync(new());

        Assert.Contains("The hosted zone example.org (Z0OTHERZONE) is not one you may use (allowed: example.com).", form.Markup, StringComparison.Ordinal);
        Assert.Equal(0, (await _portal.Queries.ListAsync(new RequestListQuery())).TotalCount);
    }

    [Fact]
    public async Task A_domain_another_request_holds_is_shown_as_a_conflict_before_submit()
    {
        // Rita publishes her records herself (no hosted zone), so the zone allowed to the mail team does not concern her.
        var held = await _portal.Requests.CreateAsync(TestSpecs.MtaSts("example.com") with { HostedZoneId = null }, TestActors.Rita, submit: false);
        Assert.True(held.Succeeded, held.Message);
        var form = _portal.Bunit.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, Alice));

        form.Find("input[data-field=domain]").Input("example.com");
        await form.Find("input[data-field=domain]").BlurAsync(new());

        var conflict = form.WaitForElement("[data-conflicts] [data-conflict=domain]");
        Assert.Equal("'example.com' already belongs to a request of Rita Requester (a draft).", conflict.TextContent);
    }
}
