using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>When approval is requested the engine creates production's change sets without executing them; Promote executes exactly those.</summary>
public sealed class ProductionPlanExecutionTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task The_change_sets_executed_are_the_ones_created_when_approval_was_requested()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site("docs.example.com") with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.True((await _h.Requests.ApplyAsync(id, WorkflowAction.RequestApproval, TestActors.Alice)).Succeeded);

        var plan = await _h.PlanReadyAsync(id);

        var production = StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com");
        var site = Assert.Single(plan.Stacks, s => s.StackName == production);
        Assert.Equal((PlannedStackStatus.Ready, "CREATE"), (site.Status, site.ChangeSetType));
        Assert.StartsWith("arn:aws:cloudformation:us-east-1:", site.ChangeSetId, StringComparison.Ordinal);
        Assert.Contains(site.Changes, c => c is { Action: "Add", ResourceType: "AWS::CloudFront::Distribution" });

        // Planned, not executed: nothing of production exists yet.
        Assert.DoesNotContain(_h.Aws.Calls, c => c.Operation == "ExecuteChangeSet" && Equals(c.Input.GetValueOrDefault("StackName"), production));

        var approver = Actor.Person("bob", "Bob Approver", _h.Clock.GetUtcNow(), PortalRole.Approver);
        var promoted = await _h.Requests.PromoteAsync(id, approver, expectedPlanId: plan.Id);
        Assert.True(promoted.Succeeded, promoted.Message);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        var request = await _h.RequestAsync(id);
        Assert.Equal(RequestState.Live, request.State);

        // The run executed the planned change set, and CloudFormation was never asked for another one for production.
        var run = Assert.Single(await _h.QueryAsync(db => db.DeploymentRuns.Where(r => r.RequestId == id && r.Environment == DeploymentEnvironment.Production)));
        var op = Assert.Single(await _h.QueryAsync(db => db.StackOperations.Where(o => o.RunId == run.Id && o.StackName == production)));
        Assert.Equal((site.ChangeSetName, site.ChangeSetId), (op.ChangeSetName, op.ChangeSetId));
        Assert.Equal([site.ChangeSetName], _h.Aws.Calls.Where(c => c.Operation == "ExecuteChangeSet" && Equals(c.Input.GetValueOrDefault("StackName"), production))
            .Select(c => c.Input.GetValueOrDefault("ChangeSetName")).Distinct());
        Assert.Single(_h.Aws.Calls, c => c.Operation == "CreateChangeSet" && Equals(c.Input.GetValueOrDefault("StackName"), production));

        var stored = Assert.Single(await _h.QueryAsync(db => db.ProductionPlans.Where(p => p.RequestId == id)));
        Assert.Equal((PlanStatus.Executed, run.Id, "bob"), (stored.Status, stored.RunId, stored.ApprovedBy));

        // The audit trail names the change set approved and the one executed: the same.
        Assert.Contains(site.ChangeSetId!, request.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.Promote)).Reason, StringComparison.Ordinal);
        Assert.Contains(site.ChangeSetId!, request.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.CompleteProductionDeployment)).Reason, StringComparison.Ordinal);
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task Promote_waits_while_the_plan_is_being_created()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site("docs.example.com") with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.True((await _h.Requests.ApplyAsync(id, WorkflowAction.RequestApproval, TestActors.Alice)).Succeeded);

        var approver = Actor.Person("bob", "Bob Approver", _h.Clock.GetUtcNow(), PortalRole.Approver);
        var early = await _h.Requests.PromoteAsync(id, approver);

        Assert.Equal(RefusalCode.Conflict, early.Code);
        Assert.Equal("The production plan (CloudFormation's change sets) is being created. Promote waits until it is ready to review.", early.Message);
        Assert.Equal(RequestState.AwaitingApproval, (await _h.RequestAsync(id)).State);
    }

    [Fact]
    public async Task A_plan_for_a_live_site_shows_each_modified_resource_with_its_scope_and_the_properties_that_cause_it()
    {
        var spec = TestSpecs.Site("docs.example.com") with { RedirectFrom = [] };
        var id = await _h.SubmitAsync(spec);
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        await _h.PromoteAsync(id);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);

        var revised = await _h.Requests.ReviseAsync(id, spec with { ViewerProtocol = ViewerProtocol.HttpsOnly }, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.True((await _h.Requests.ApplyAsync(id, WorkflowAction.RequestApproval, TestActors.Alice)).Succeeded);
        var plan = await _h.PlanReadyAsync(id);

        var site = Assert.Single(plan.Stacks, s => s.StackName == StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com"));
        Assert.Equal("UPDATE", site.ChangeSetType);
        var distribution = Assert.Single(site.Changes, c => c.ResourceType == "AWS::CloudFront::Distribution");
        Assert.Equal(("Modify", "False"), (distribution.Action, distribution.Replacement));
        // The stack's tags name the revision, so every resource's tags change too, as CloudFormation reports it.
        Assert.Equal(["Properties", "Tags"], distribution.Scope);
        Assert.Equal(
        [
            new PlannedChangeDetail("Properties", "DistributionConfig", "Never", "Static", "DirectModification", null),
            new PlannedChangeDetail("Tags", null, "Never", "Static", "DirectModification", null),
        ], distribution.Details);
        Assert.Empty(_h.Aws.Violations);
    }
}
