using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Infrastructure.Dns;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The MTA-STS form: defaults that follow RFC 8461's advice, messages from Portal.Core, the testing policy preview.</summary>
public sealed class MtaStsRequestFormTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    private BunitContext _ctx => _portal.Bunit;

    private RequestService _service => _portal.Requests;

    private RequestQueries _queries => _portal.Queries;

    // A resolver nobody listens on: these tests never look up MX records (the DNS tests do, against dnsmasq).
    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync(services =>
        services.AddSingleton(new MxLookup(MxLookup.CreateClient(new DnsOptions { Servers = ["127.0.0.1:9"], Timeout = TimeSpan.FromMilliseconds(200) }))));

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public void A_new_policy_starts_in_testing_with_a_week_of_max_age()
    {
        var form = _ctx.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));

        Assert.Equal("604800", form.Find("input[data-field=maxAge]").GetAttribute("value"));
        form.Find("textarea[data-field=mx]").Input("mx1.example.com");
        Assert.Equal("version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n".Replace("\r\n", "\n", StringComparison.Ordinal),
            form.Find("[data-policy-preview]").TextContent.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(MtaStsMode.Testing, "testing")]
    [InlineData(MtaStsMode.Enforce, "testing")]
    [InlineData(MtaStsMode.None, "none")]
    public void The_preview_is_what_testing_serves_for_the_mode_asked_for_production(MtaStsMode mode, string served)
    {
        var spec = new MtaStsSpec { Domain = "example.com", Mx = ["mx1.example.com"], Mode = mode, MaxAge = 86400 };

        var form = _ctx.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice).Add(x => x.Initial, spec));

        Assert.Equal($"version: STSv1\nmode: {served}\nmx: mx1.example.com\nmax_age: 86400\n",
            form.Find("[data-policy-preview]").TextContent.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void The_preview_names_what_stops_the_policy()
    {
        var form = _ctx.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice)
            .Add(x => x.Initial, new MtaStsSpec { Domain = "example.com", Mode = MtaStsMode.Enforce }));

        var expected = Portal.Core.MtaSts.MtaStsPolicy.Create(MtaStsMode.Testing, MtaStsSpec.DefaultMaxAge, []).Errors.Select(e => e.Message);
        Assert.Equal(string.Join("\n", expected), form.Find("[data-policy-preview]").TextContent.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.NotEmpty(expected);
    }

    [Fact]
    public async Task Bad_patterns_and_report_addresses_get_their_messages_by_line()
    {
        var form = _ctx.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        form.Find("input[data-field=domain]").Input("example.com");
        form.Find("textarea[data-field=mx]").Input("mx1.example.com\nmx.*.example.com");
        form.Find("textarea[data-field=tlsRptRua]").Input("javascript:alert(1)");
        form.Find("input[data-field=hostedZoneId]").Input("Z0123456789ABC");

        await form.Find("button[data-submit]").ClickAsync(new());

        var text = string.Concat(form.Nodes.Select(n => n.TextContent));
        Assert.Contains("Line 2: MX pattern may use '*' only as the whole left-most label", text, StringComparison.Ordinal);
        Assert.Contains("Line 1: 'javascript:alert(1)' must start with mailto: or https: (RFC 8460).", text, StringComparison.Ordinal);
        Assert.Equal(0, (await _queries.ListAsync(new RequestListQuery())).TotalCount);
    }

    [Fact]
    public async Task A_valid_policy_with_external_dns_is_submitted()
    {
        var form = _ctx.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        form.Find("input[data-field=domain]").Input("example.com");
        form.Find("textarea[data-field=mx]").Input("mx1.example.com\n*.mail.example.com");
        form.Find("input[data-field=inRoute53]").Change(false);

        await form.Find("button[data-submit]").ClickAsync(new());

        var created = Assert.Single((await _queries.ListAsync(new RequestListQuery())).Items);
        var spec = (MtaStsSpec)(await _service.GetAsync(created.Id))!.CurrentRevision.Spec;
        Assert.Equal((RequestState.Submitted, MtaStsMode.Enforce, false), (created.State, spec.Mode, spec.DnsInRoute53));
        Assert.Equal(["mx1.example.com", "*.mail.example.com"], spec.Mx);
    }

    [Fact]
    public void External_dns_shows_the_exact_records_to_publish_for_each_mode()
    {
        var form = _ctx.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        form.Find("input[data-field=domain]").Input("example.com");
        form.Find("textarea[data-field=mx]").Input("mx1.example.com");
        form.Find("textarea[data-field=tlsRptRua]").Input("mailto:tlsrpt@example.com");
        form.Find("input[data-field=inRoute53]").Change(false);

        var values = form.FindAll("[data-record-value]").Select(e => (e.GetAttribute("data-record-value"), e.TextContent)).ToList();

        var testing = Portal.Core.MtaSts.MtaStsPolicy.Create(MtaStsMode.Testing, 604800, ["mx1.example.com"]).Value!;
        Assert.Contains(("_mta-sts.example.com", $"\"v=STSv1; id={Portal.Core.MtaSts.MtaStsPolicyId.For(testing)}\""), values);
        Assert.Contains(("_smtp._tls.example.com", "\"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\""), values);
        Assert.Equal(3, values.Count);
    }

    [Fact]
    public async Task An_unreachable_resolver_is_reported_not_thrown()
    {
        var form = _ctx.Render<MtaStsRequestForm>(p => p.Add(x => x.Actor, TestActors.Alice));
        form.Find("input[data-field=domain]").Input("example.com");

        await form.Find("button[data-lookup-mx]").ClickAsync(new());

        Assert.Contains("example.com", form.Find("[data-mx-problem]").TextContent, StringComparison.Ordinal);
    }
}
