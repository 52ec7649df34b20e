using Bunit;
using Portal.Components.Requests;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// Decommission and finishing a retirement early are confirmed after the page says what goes and what stays; nothing
/// changes before the confirmation.
/// </summary>
public sealed class DecommissionConfirmationTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    private RequestService Service => _portal.Requests;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private Actor Now(string id, params PortalRole[] roles) => Actor.Person(id, id, _portal.Clock.GetUtcNow(), roles);

    private async Task<PortalRequest> LiveAsync(RequestSpec spec)
    {
        var id = (await Service.CreateAsync(spec, TestActors.Alice, submit: true)).RequestId;
        foreach (var (action, actor) in new[]
        {
            (WorkflowAction.StartTestingDeployment, Actor.System), (WorkflowAction.CompleteTestingDeployment, Actor.System),
            (WorkflowAction.RequestApproval, TestActors.Alice), (WorkflowAction.Promote, Now("bob", PortalRole.Approver)),
            (WorkflowAction.StartProductionDeployment, Actor.System), (WorkflowAction.CompleteProductionDeployment, Actor.System),
        })
        {
            var result = await Service.ApplyAsync(id, action, actor);
            Assert.True(result.Succeeded, $"{action}: {result.Message}");
        }

        return (await Service.GetAsync(id))!;
    }

    private IRenderedComponent<MudBlazor.MudDialogProvider>? _dialogs;

    /// <summary>Where the confirmation dialogs render.</summary>
    private IRenderedComponent<MudBlazor.MudDialogProvider> Dialogs => _dialogs!;

    private IRenderedComponent<RequestActionsPanel> Render(PortalRequest request, Actor actor)
    {
        _dialogs ??= _portal.Bunit.Render<MudBlazor.MudDialogProvider>();
        return _portal.Bunit.Render<RequestActionsPanel>(p => p.Add(x => x.Request, request).Add(x => x.Actor, actor));
    }

    [Fact]
    public async Task Decommissioning_a_site_says_the_content_and_logs_stay_and_the_stacks_go_before_it_is_confirmed()
    {
        var request = await LiveAsync(TestSpecs.Site());
        var owner = Now("alice", PortalRole.Requester);
        var panel = Render(request, owner);

        await panel.Find("button[data-action=RequestDecommission]").ClickAsync(new());

        Assert.Equal(RequestState.Live, (await Service.GetAsync(request.Id))!.State);
        var text = Dialogs.WaitForElement("[data-consequences=RequestDecommission]").TextContent;
        Assert.Contains("Removed: the stacks of test.docs.example.com and docs.example.com and of the redirect names", text, StringComparison.Ordinal);
        Assert.Contains("each environment's content bucket with every file and every earlier version in it", text, StringComparison.Ordinal);
        Assert.Contains("Kept: the list of content versions", text, StringComparison.Ordinal);
        Assert.Contains("CloudFront access logs", text, StringComparison.Ordinal);
        Assert.Contains("validation CNAME records", text, StringComparison.Ordinal);

        Dialogs.Find("textarea[data-reason-for=RequestDecommission]").Input("The docs moved to the wiki.");
        await Dialogs.Find("button[data-confirm=RequestDecommission]").ClickAsync(new());
        Assert.Equal(RequestState.DecommissionRequested, (await Service.GetAsync(request.Id))!.State);
    }

    [Fact]
    public async Task Approving_the_decommission_of_a_policy_says_mode_none_is_served_first()
    {
        var request = await LiveAsync(TestSpecs.MtaSts());
        Assert.True((await Service.ApplyAsync(request.Id, WorkflowAction.RequestDecommission, Now("alice", PortalRole.Requester), "No longer needed")).Succeeded);
        request = (await Service.GetAsync(request.Id))!;
        var panel = Render(request, Now("carol", PortalRole.Approver));

        await panel.Find("button[data-action=ApproveDecommission]").ClickAsync(new());

        Assert.Contains("mode none with a new id is served until every earlier policy has expired", Dialogs.WaitForElement("[data-consequences=ApproveDecommission]").TextContent, StringComparison.Ordinal);
        Dialogs.Find("textarea[data-reason-for=ApproveDecommission]").Input("Agreed with the owner.");
        await Dialogs.Find("button[data-confirm=ApproveDecommission]").ClickAsync(new());
        Assert.Equal(RequestState.RetirementDeploying, (await Service.GetAsync(request.Id))!.State);
    }

    [Fact]
    public async Task An_admin_finishing_a_retirement_early_reads_the_risk_and_gives_a_reason()
    {
        var request = await LiveAsync(TestSpecs.MtaSts());
        Assert.True((await Service.ApplyAsync(request.Id, WorkflowAction.RequestDecommission, Now("alice", PortalRole.Requester), "No longer needed")).Succeeded);
        Assert.True((await Service.ApplyAsync(request.Id, WorkflowAction.ApproveDecommission, Now("carol", PortalRole.Approver), "Agreed")).Succeeded);
        Assert.True((await Service.ApplyAsync(request.Id, WorkflowAction.CompleteRetirementDeployment, Actor.System)).Succeeded);
        request = (await Service.GetAsync(request.Id))!;
        var requester = Render(request, Now("alice", PortalRole.Requester));
        Assert.Empty(requester.FindAll("button[data-action=EndRetirementEarly]"));

        var panel = Render(request, Now("dana", PortalRole.Admin));
        await panel.Find("button[data-action=EndRetirementEarly]").ClickAsync(new());

        Assert.Contains($"(up to {request.RetiringUntil:yyyy-MM-dd HH:mm} UTC)", Dialogs.WaitForElement("[data-consequences=EndRetirementEarly]").TextContent, StringComparison.Ordinal);
        Assert.Contains("about 7 day(s)", Dialogs.WaitForElement("[data-consequences=EndRetirementEarly]").TextContent, StringComparison.Ordinal);
        Assert.True(Dialogs.Find("button[data-confirm=EndRetirementEarly]").HasAttribute("disabled"));
        Dialogs.Find("textarea[data-reason-for=EndRetirementEarly]").Input("The domain no longer receives mail.");
        await Dialogs.Find("button[data-confirm=EndRetirementEarly]").ClickAsync(new());

        Assert.Equal(RequestState.Decommissioning, (await Service.GetAsync(request.Id))!.State);
    }
}
