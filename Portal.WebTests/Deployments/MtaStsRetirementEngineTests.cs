using Portal.Tests.Api;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>
/// Decommissioning an MTA-STS policy on the local cloud (RFC 8461 section 8.3): the engine deploys mode none with a new
/// id into the same stack, keeps it served for the old policy's max_age on the portal's clock, and only then deletes
/// the stack with its records.
/// </summary>
public sealed class MtaStsRetirementEngineTests : IAsyncLifetime
{
    private readonly MovableClock _clock = new();
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync(clock: _clock);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Actor Person(string id, params PortalRole[] roles) => Actor.Person(id, id, _clock.GetUtcNow(), roles);

    [Fact]
    public async Task Mode_none_is_served_with_a_new_id_for_the_old_max_age_and_then_the_stack_and_records_go()
    {
        var spec = TestSpecs.MtaSts() with { MaxAge = 604800 };
        var stack = StackNaming.MtaSts("portal", spec.Domain);
        var id = await _h.SubmitAsync(spec);
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        await _h.PromoteAsync(id);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        Assert.Equal(RequestState.Live, (await _h.RequestAsync(id)).State);
        var enforceId = MtaStsPublication.Create(spec, DeploymentEnvironment.Production).Publication!.PolicyIdRecord.Value;
        Assert.Equal(enforceId, PolicyIdRecord());

        var asked = await _h.Requests.ApplyAsync(id, WorkflowAction.RequestDecommission, Person("alice", PortalRole.Requester), "No longer needed");
        Assert.True(asked.Succeeded, asked.Message);
        var approved = await _h.Requests.ApplyAsync(id, WorkflowAction.ApproveDecommission, Person("bob", PortalRole.Approver), "Agreed");
        Assert.True(approved.Succeeded, approved.Message);
        Assert.Equal(RequestState.RetirementDeploying, approved.State);

        await _h.RunUntilStateAsync(id, RequestState.Retiring, RequestState.RetirementFailed);
        var retiring = await _h.RequestAsync(id);
        Assert.Equal(RequestState.Retiring, retiring.State);
        var none = MtaStsPublication.Create((MtaStsSpec)retiring.CurrentRevision.Spec, DeploymentEnvironment.Production).Publication!;
        Assert.Equal(MtaStsMode.None, none.Policy.Mode);
        Assert.Equal(none.PolicyIdRecord.Value, PolicyIdRecord());
        Assert.NotEqual(enforceId, none.PolicyIdRecord.Value);
        var function = Assert.Single(_h.Aws.Endpoint.Resources.OfType("AWS::CloudFront::Function"), f => f.LogicalId == "PolicyFunction");
        Assert.Contains("mode: none", function.Properties["FunctionCode"]!.GetValue<string>(), StringComparison.Ordinal);
        var servedAt = retiring.AuditEvents.Single(e => e.ToState == RequestState.Retiring).At;
        Assert.Equal(servedAt.AddDays(7), retiring.RetiringUntil);

        // Passes before the old max_age has run out leave the policy served.
        _clock.Offset = retiring.RetiringUntil!.Value - _clock.GetUtcNow() - TimeSpan.FromMinutes(1);
        for (var i = 0; i < 5; i++)
        {
            await _h.Engine.RunOnceAsync();
        }

        Assert.Equal(RequestState.Retiring, (await _h.RequestAsync(id)).State);
        Assert.Equal("UPDATE_COMPLETE", _h.Aws.CloudFormation.StatusOf("us-east-1", stack));

        _clock.Offset += TimeSpan.FromMinutes(2);
        await _h.RunUntilStateAsync(id, RequestState.Decommissioned, RequestState.DecommissionFailed);

        var done = await _h.RequestAsync(id);
        Assert.Equal(RequestState.Decommissioned, done.State);
        Assert.Equal(
            [nameof(WorkflowAction.ApproveDecommission), nameof(WorkflowAction.CompleteRetirementDeployment), nameof(WorkflowAction.EndRetirement), nameof(WorkflowAction.CompleteDecommission)],
            done.AuditEvents.SkipWhile(e => e.Action != nameof(WorkflowAction.ApproveDecommission)).Select(e => e.Action));
        Assert.Null(_h.Aws.CloudFormation.StatusOf("us-east-1", stack));
        Assert.Null(PolicyIdRecord());
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task An_admin_finishing_early_deletes_the_stack_without_waiting()
    {
        var spec = TestSpecs.MtaSts();
        var stack = StackNaming.MtaSts("portal", spec.Domain);
        var id = await _h.SubmitAsync(spec);
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        await _h.PromoteAsync(id);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        Assert.True((await _h.Requests.ApplyAsync(id, WorkflowAction.RequestDecommission, Person("alice", PortalRole.Requester), "No longer needed")).Succeeded);
        Assert.True((await _h.Requests.ApplyAsync(id, WorkflowAction.ApproveDecommission, Person("bob", PortalRole.Approver), "Agreed")).Succeeded);
        await _h.RunUntilStateAsync(id, RequestState.Retiring, RequestState.RetirementFailed);

        var refused = await _h.Requests.ApplyAsync(id, WorkflowAction.EndRetirementEarly, Person("alice", PortalRole.Requester), "now");
        Assert.Equal(RefusalCode.RoleRequired, refused.Code);
        var ended = await _h.Requests.ApplyAsync(id, WorkflowAction.EndRetirementEarly, Person("dana", PortalRole.Admin), "The domain no longer receives mail.");
        Assert.True(ended.Succeeded, ended.Message);

        await _h.RunUntilStateAsync(id, RequestState.Decommissioned, RequestState.DecommissionFailed);
        Assert.Equal(RequestState.Decommissioned, (await _h.RequestAsync(id)).State);
        Assert.Null(_h.Aws.CloudFormation.StatusOf("us-east-1", stack));
    }

    private string? PolicyIdRecord()
    {
        var zone = _h.Aws.Route53.FindZone(TestSpecs.ZoneId)!;
        var record = zone.Records.SingleOrDefault(r => r.Type == "TXT" && r.Name.TrimEnd('.') == "_mta-sts." + TestSpecs.ZoneName);
        return record is null ? null : Assert.Single(record.Values).Trim('"');
    }
}
