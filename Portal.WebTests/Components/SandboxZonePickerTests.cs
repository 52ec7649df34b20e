using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Infrastructure.Dns;
using Portal.Sandbox;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>In sandbox mode the request forms offer the sandbox's hosted zones; one click fills the zone name and id.</summary>
public sealed class SandboxZonePickerTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public void Outside_sandbox_mode_no_zone_is_offered()
    {
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        Assert.Empty(form.FindAll("[data-sandbox-zones]"));
    }

    [Fact]
    public async Task Picking_a_sandbox_zone_fills_name_and_id_of_the_site_form()
    {
        _portal.Bunit.Services.AddSingleton(new SandboxZones(() => [new SandboxZone("example.com", "Z000001LOOPBACK"), new SandboxZone("example.org", "Z000002LOOPBACK")]));
        var form = _portal.Bunit.Render<SiteRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        await form.Find("[data-zone='example.org']").ClickAsync(new());

        Assert.Equal("example.org", form.Find("input[data-field=hostedZoneName]").GetAttribute("value"));
        Assert.Equal("Z000002LOOPBACK", form.Find("input[data-field=hostedZoneId]").GetAttribute("value"));
    }

    [Fact]
    public async Task Picking_a_sandbox_zone_fills_name_and_id_of_the_mta_sts_form()
    {
        _portal.Bunit.Services.AddSingleton(new SandboxZones(() => [new SandboxZone("example.com", "Z000001LOOPBACK")]));
        _portal.Bunit.Services.AddSingleton(new MxLookup(MxLookup.CreateClient(new DnsOptions { Servers = ["127.0.0.1:9"], Timeout = TimeSpan.FromMilliseconds(200) })));
        var form = _portal.Bunit.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        await form.Find("[data-zone='example.com']").ClickAsync(new());

        Assert.Equal("example.com", form.Find("input[data-field=hostedZoneName]").GetAttribute("value"));
        Assert.Equal("Z000001LOOPBACK", form.Find("input[data-field=hostedZoneId]").GetAttribute("value"));
    }
}
