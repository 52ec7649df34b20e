using Bunit;
using MudBlazor;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// Withdraw no longer acts on one click: a dialog asks for the reason, nothing changes until it is confirmed with
/// one, Cancel leaves the request alone, and the reason goes into the history trimmed.
/// </summary>
public sealed class WithdrawConfirmationTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<PortalRequest> SubmittedAsync() =>
        (await _portal.Requests.GetAsync((await _portal.Requests.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true)).RequestId))!;

    private IRenderedComponent<RequestActionsPanel> Render(PortalRequest request) =>
        _portal.Bunit.Render<RequestActionsPanel>(p => p.Add(x => x.Request, request).Add(x => x.Actor, TestActors.Alice));

    [Fact]
    public async Task Withdraw_asks_for_a_reason_and_records_it()
    {
        var request = await SubmittedAsync();
        var dialogs = _portal.Bunit.Render<MudDialogProvider>();
        var panel = Render(request);

        await panel.Find("button[data-action=Withdraw]").ClickAsync(new());

        Assert.Equal(RequestState.Submitted, (await _portal.Requests.GetAsync(request.Id))!.State);
        var confirm = dialogs.WaitForElement("button[data-confirm=Withdraw]");
        Assert.True(confirm.HasAttribute("disabled"));
        dialogs.Find("textarea[data-reason-for=Withdraw]").Input("   ");
        Assert.True(dialogs.Find("button[data-confirm=Withdraw]").HasAttribute("disabled"));

        dialogs.Find("textarea[data-reason-for=Withdraw]").Input("  The team chose another host.  ");
        await dialogs.Find("button[data-confirm=Withdraw]").ClickAsync(new());

        var stored = (await _portal.Requests.GetAsync(request.Id))!;
        Assert.Equal(RequestState.Withdrawn, stored.State);
        Assert.Equal("The team chose another host.", stored.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.Withdraw)).Reason);
        Assert.Empty(dialogs.FindAll("button[data-confirm=Withdraw]"));
    }

    [Fact]
    public async Task Cancel_closes_the_dialog_and_changes_nothing()
    {
        var request = await SubmittedAsync();
        var dialogs = _portal.Bunit.Render<MudDialogProvider>();
        var panel = Render(request);

        await panel.Find("button[data-action=Withdraw]").ClickAsync(new());
        dialogs.WaitForElement("textarea[data-reason-for=Withdraw]").Input("changed my mind");
        await dialogs.Find("button[data-cancel=Withdraw]").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-reason-for=Withdraw]")));
        var stored = (await _portal.Requests.GetAsync(request.Id))!;
        Assert.Equal(RequestState.Submitted, stored.State);
        Assert.DoesNotContain(stored.AuditEvents, e => e.Action == nameof(WorkflowAction.Withdraw));
    }
}
