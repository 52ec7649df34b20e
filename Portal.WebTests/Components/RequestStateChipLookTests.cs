using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages;
using Portal.Components.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The request state chip and the dashboard's links are drawn without MudChip and MudLink but look exactly like them.</summary>
public sealed class RequestStateChipLookTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    public static TheoryData<RequestState> States() => [.. Enum.GetValues<RequestState>()];

    [Theory]
    [MemberData(nameof(States))]
    public void Every_state_has_the_classes_and_nesting_of_an_outlined_small_MudChip(RequestState state)
    {
        var light = _portal.Bunit.Render<RequestStateChip>(p => p.Add(c => c.State, state));
        var mud = _portal.Bunit.Render<MudChip<string>>(p => p
            .Add(c => c.Size, Size.Small)
            .Add(c => c.Variant, Variant.Outlined)
            .Add(c => c.Color, RequestStateChip.ColorFor(state))
            .AddChildContent(WorkflowRules.Label(state)));

        Assert.Equal(Shape(mud.Find(".mud-chip-container")), Shape(light.Find(".mud-chip-container")));
        Assert.Equal(WorkflowRules.Label(state), light.Find($"[data-state={state}] .mud-chip-content").TextContent);
    }

    [Fact]
    public async Task The_dashboard_s_request_links_have_the_classes_of_a_MudLink()
    {
        Assert.True((await _portal.Requests.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false)).Succeeded);
        _portal.Bunit.Services.AddSingleton(_portal.Queries);
        var home = _portal.Bunit.Render<Home>();
        var link = home.WaitForElement("tr[data-request-row] a");

        var mud = _portal.Bunit.Render<MudLink>(p => p.Add(c => c.Href, link.GetAttribute("href")).AddChildContent(link.TextContent));

        Assert.Equal(Shape(mud.Find("a")), Shape(link));
    }

    [Fact]
    public async Task The_dashboard_s_state_counts_have_the_classes_of_MudGrid_MudItem_MudPaper_and_MudText()
    {
        Assert.True((await _portal.Requests.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false)).Succeeded);
        _portal.Bunit.Services.AddSingleton(_portal.Queries);
        var home = _portal.Bunit.Render<Home>();
        var counts = home.WaitForElement("[data-state-counts]");

        var mud = _portal.Bunit.Render<MudGrid>(grid => grid.AddChildContent<MudItem>(item => item
            .Add(c => c.xs, 6).Add(c => c.sm, 4).Add(c => c.md, 2)
            .AddChildContent<MudPaper>(paper => paper
                .Add(c => c.Class, "pa-4").Add(c => c.Elevation, 1)
                .AddChildContent(text =>
                {
                    text.OpenComponent<MudText>(0);
                    text.AddComponentParameter(1, nameof(MudText.Typo), Typo.h5);
                    text.AddComponentParameter(2, nameof(MudText.ChildContent), (RenderFragment)(b => b.AddContent(0, "1")));
                    text.CloseComponent();
                    text.OpenComponent<MudText>(3);
                    text.AddComponentParameter(4, nameof(MudText.Typo), Typo.body2);
                    text.AddComponentParameter(5, nameof(MudText.ChildContent), (RenderFragment)(b => b.AddContent(0, WorkflowRules.Label(RequestState.Draft))));
                    text.CloseComponent();
                }))));

        Assert.Equal(Shape(mud.Find(".mud-grid")), Shape(counts));
        Assert.Equal(["1", WorkflowRules.Label(RequestState.Draft)], counts.QuerySelectorAll(".mud-paper > *").Select(e => e.TextContent));
    }

    /// <summary>Each element's tag and classes, depth first: what the stylesheet sees.</summary>
    private static string Shape(AngleSharp.Dom.IElement element) =>
        $"{element.TagName}[{string.Join(' ', element.ClassList.Order(StringComparer.Ordinal))}]({string.Join(",", element.Children.Select(Shape))})";
}
