using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Infrastructure.Dns;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The MTA-STS form refuses what it used to change silently (an empty Route53 zone taken as external DNS, a negative
/// max_age taken as 0) and asks production for enforce unless the person chooses otherwise.
/// </summary>
public sealed class MtaStsFormRefusalsTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync(services =>
        services.AddSingleton(new MxLookup(MxLookup.CreateClient(new DnsOptions { Servers = ["127.0.0.1:9"], Timeout = TimeSpan.FromMilliseconds(200) }))));

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private IRenderedComponent<MtaStsRequestForm> Filled()
    {
        var form = _portal.Bunit.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        form.Find("input[data-field=domain]").Input("example.com");
        form.Find("textarea[data-field=mx]").Input("mx1.example.com");
        return form;
    }

    [Fact]
    public async Task Route53_on_with_the_zone_left_empty_is_refused_on_the_zone_field()
    {
        var form = Filled();

        await form.Find("button[data-submit]").ClickAsync(new());

        Assert.Contains("Hosted zone id is required when the domain's DNS is in Route53", form.Markup, StringComparison.Ordinal);
        Assert.Empty((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
    }

    [Fact]
    public async Task A_negative_max_age_is_refused_on_its_field_not_made_zero()
    {
        var form = Filled();
        form.Find("input[data-field=inRoute53]").Change(false);
        form.Find("input[data-field=maxAge]").Change("-5");
        form.Find("input[data-field=maxAge]").Blur();
        Assert.Equal("-5", form.Find("input[data-field=maxAge]").GetAttribute("value"));

        await form.Find("button[data-submit]").ClickAsync(new());

        Assert.Empty((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
        Assert.Contains("max_age must be between 0 and 31557600 seconds (one year); got -5.", form.Markup, StringComparison.Ordinal);
        Assert.Empty((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
    }

    [Fact]
    public async Task A_new_policy_asks_production_for_enforce_and_says_what_the_modes_do()
    {
        var form = Filled();
        form.Find("input[data-field=inRoute53]").Change(false);

        Assert.Contains("enforce: senders refuse to deliver without valid TLS", form.Markup, StringComparison.Ordinal);
        await form.Find("button[data-submit]").ClickAsync(new());

        var created = Assert.Single((await _portal.Queries.ListAsync(new RequestListQuery())).Items);
        Assert.Equal(MtaStsMode.Enforce, ((MtaStsSpec)(await _portal.Requests.GetAsync(created.Id))!.CurrentRevision.Spec).Mode);
    }
}
