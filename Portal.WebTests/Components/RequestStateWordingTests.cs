using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages;
using Portal.Components.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>States read as labels where they stand alone: "Draft", "Submitted", and changes as "Draft → Submitted".</summary>
public sealed class RequestStateWordingTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Theory]
    [InlineData(RequestState.Draft, "Draft")]
    [InlineData(RequestState.Submitted, "Submitted")]
    [InlineData(RequestState.AwaitingApproval, "Awaiting approval")]
    public void The_state_chip_shows_a_label(RequestState state, string label)
    {
        var chip = _portal.Bunit.Render<RequestStateChip>(p => p.Add(c => c.State, state));

        Assert.Equal(label, chip.Find($"[data-state={state}]").TextContent.Trim());
    }

    [Fact]
    public async Task The_dashboard_counts_name_states_with_labels()
    {
        Assert.True((await _portal.Requests.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false)).Succeeded);
        _portal.Bunit.Services.AddSingleton(_portal.Queries);

        var home = _portal.Bunit.Render<Home>();

        home.WaitForAssertion(() => Assert.Contains(home.FindAll(".mud-paper p"), p => p.TextContent.Trim() == "Draft"));
        Assert.DoesNotContain("a draft", home.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_of_state_reads_from_label_to_label() =>
        Assert.Equal("Draft → Submitted", WorkflowRules.Transition(RequestState.Draft, RequestState.Submitted));
}
