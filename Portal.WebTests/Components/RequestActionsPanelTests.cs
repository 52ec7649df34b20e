using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>The action buttons of a request: which show, which are disabled and why, and what a click does.</summary>
public sealed class RequestActionsPanelTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    private BunitContext _ctx => _portal.Bunit;

    private RequestService _service => _portal.Requests;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Owner_sees_why_they_cannot_approve_their_own_request()
    {
        var ownerApprover = Actor.Person("alice", "Alice", TestActors.SignedInAt, PortalRole.Requester, PortalRole.Approver);
        var request = await AwaitingApprovalAsync(ownerApprover);

        var panel = Render(request, ownerApprover);

        var promote = panel.Find("button[data-action=Promote]");
        Assert.True(promote.HasAttribute("disabled"));
        Assert.Equal("You submitted this request; a different approver must review it.", panel.Find("[data-why-not=Promote]").TextContent);
    }

    [Fact]
    public async Task Approver_promotes_and_the_page_is_told()
    {
        var request = await AwaitingApprovalAsync(TestActors.Alice);
        RequestCommandResult? changed = null;

        var panel = Render(request, TestActors.Bob, r => changed = r);
        await panel.Find("button[data-action=Promote]").ClickAsync(new());

        Assert.NotNull(changed);
        Assert.Equal(RequestState.Approved, changed.State);
        Assert.Contains("Promote: done. The request is now approved.", panel.Markup, StringComparison.Ordinal);
        Assert.Equal(RequestState.Approved, (await _service.GetAsync(request.Id))!.State);
    }

    [Fact]
    public async Task Reject_asks_for_a_reason_and_cannot_be_confirmed_without_one()
    {
        var request = await AwaitingApprovalAsync(TestActors.Alice);

        var dialogs = _ctx.Render<MudBlazor.MudDialogProvider>();
        var panel = Render(request, TestActors.Bob);
        await panel.Find("button[data-action=Reject]").ClickAsync(new());

        Assert.True(dialogs.WaitForElement("button[data-confirm=Reject]").HasAttribute("disabled"));
        dialogs.Find("textarea[data-reason-for=Reject]").Input("Wrong hosted zone");
        await dialogs.Find("button[data-confirm=Reject]").ClickAsync(new());

        var stored = await _service.GetAsync(request.Id);
        Assert.Equal(RequestState.Rejected, stored!.State);
        Assert.Equal("Wrong hosted zone", stored.AuditEvents.Single(e => e.Action == "Reject").Reason);
    }

    [Fact]
    public async Task A_stale_sign_in_is_sent_to_step_up_and_comes_back_here()
    {
        var request = await AwaitingApprovalAsync(TestActors.Alice);
        var stale = TestActors.Bob with { AuthenticatedAt = _portal.Clock.GetUtcNow().AddHours(-2) };
        var navigation = _ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/requests/{request.Id}");

        var panel = Render(request, stale);
        await panel.Find("button[data-action=Promote]").ClickAsync(new());

        Assert.Equal($"http://localhost/account/step-up?returnUrl=%2Frequests%2F{request.Id}", navigation.Uri);
        Assert.Equal(RequestState.AwaitingApproval, (await _service.GetAsync(request.Id))!.State);
    }

    [Fact]
    public async Task A_change_made_elsewhere_since_the_page_loaded_is_refused_with_a_reload_hint()
    {
        var request = await AwaitingApprovalAsync(TestActors.Alice);
        var panel = Render(request, TestActors.Bob);
        Assert.True((await _service.ApplyAsync(request.Id, WorkflowAction.Reject, TestActors.Carol, "Not now")).Succeeded);

        await panel.Find("button[data-action=Promote]").ClickAsync(new());

        Assert.Contains("Someone else changed this request at the same time. Reload it", panel.Markup, StringComparison.Ordinal);
        Assert.Equal(RequestState.Rejected, (await _service.GetAsync(request.Id))!.State);
    }

    [Fact]
    public async Task Promote_waits_while_the_production_plan_is_being_created()
    {
        var request = await AwaitingApprovalAsync(TestActors.Alice);
        var creating = new Portal.Core.Deployments.ProductionPlan { Id = Guid.NewGuid(), RequestId = request.Id, Status = Portal.Core.Deployments.PlanStatus.Creating };

        var panel = _ctx.Render<RequestActionsPanel>(p => p.Add(x => x.Request, request).Add(x => x.Actor, TestActors.Bob)
            .Add(x => x.PlanRequired, true).Add(x => x.Plan, creating));

        Assert.True(panel.Find("button[data-action=Promote]").HasAttribute("disabled"));
        Assert.Equal("Promote waits until CloudFormation's plan for production is ready to review.", panel.Find("[data-why-not=Promote]").TextContent);
        Assert.False(panel.Find("button[data-action=Reject]").HasAttribute("disabled"));
    }

    private IRenderedComponent<RequestActionsPanel> Render(PortalRequest request, Actor actor, Action<RequestCommandResult>? changed = null) =>
        _ctx.Render<RequestActionsPanel>(p => p
            .Add(x => x.Request, request)
            .Add(x => x.Actor, actor)
            .Add(x => x.Changed, r => changed?.Invoke(r)));

    private async Task<PortalRequest> AwaitingApprovalAsync(Actor owner)
    {
        var id = (await _service.CreateAsync(TestSpecs.Site(), owner, submit: true)).RequestId;
        await _service.ApplyAsync(id, WorkflowAction.StartTestingDeployment, Actor.System);
        await _service.ApplyAsync(id, WorkflowAction.CompleteTestingDeployment, Actor.System);
        await _service.ApplyAsync(id, WorkflowAction.RequestApproval, owner);
        return (await _service.GetAsync(id))!;
    }
}
