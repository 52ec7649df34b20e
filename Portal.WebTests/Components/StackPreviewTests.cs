using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Components.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The read-only preview of what a request would deploy, rendered by the real renderer.</summary>
public sealed class StackPreviewTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    public Task InitializeAsync()
    {
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(new StackRenderer(TemplateLibrary.LoadEmbedded(), PortalStackSettings.Example));
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    [Fact]
    public void A_site_previews_its_testing_and_production_stacks()
    {
        var preview = _ctx.Render<StackPreview>(p => p.Add(x => x.Spec, TestSpecs.Site()));

        var tabs = preview.FindAll(".mud-tab").Select(e => e.TextContent.Trim()).ToList();
        Assert.Contains("Testing: portal-site-testing-docs-example-com", tabs);
        Assert.Contains("Production: portal-site-production-docs-example-com", tabs);
        Assert.Equal("portal-site-testing-docs-example-com", preview.Find("[data-stack]").GetAttribute("data-stack"));
        Assert.Contains("AWS::CloudFront::Distribution", preview.Markup, StringComparison.Ordinal);
        Assert.NotEmpty(preview.FindAll("span.json-key"));
    }

    [Fact]
    public void An_invalid_request_shows_no_stacks()
    {
        var preview = _ctx.Render<StackPreview>(p => p.Add(x => x.Spec, TestSpecs.Site() with { HostedZoneId = "bad" }));

        Assert.Empty(preview.FindAll("[data-stack]"));
        Assert.NotNull(preview.Find("[data-preview-errors]"));
    }

    [Fact]
    public void Highlighted_json_stays_text()
    {
        var fragment = _ctx.Render(JsonHighlight.Render("""{"a":"</pre><script>alert(1)</script>","n":12,"t":true}"""));

        Assert.Empty(fragment.FindAll("script"));
        Assert.Equal("""{"a":"</pre><script>alert(1)</script>","n":12,"t":true}""", fragment.Nodes[0].TextContent + string.Concat(fragment.Nodes.Skip(1).Select(n => n.TextContent)));
        Assert.Equal(["\"a\"", "\"n\"", "\"t\""], fragment.FindAll("span.json-key").Select(e => e.TextContent));
    }
}
