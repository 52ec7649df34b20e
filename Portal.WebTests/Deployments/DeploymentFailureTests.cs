using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>A stack that fails: the request fails with the reason of the first failed resource, and a retry recovers.</summary>
public sealed class DeploymentFailureTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task The_first_failed_resource_reason_becomes_the_request_failure_message_and_a_retry_recovers()
    {
        const string Reason = "Resource handler returned message: \"DNS validation of test.docs.example.com timed out\" (HandlerErrorCode: NotStabilized)";
        var site = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        _h.Aws.CloudFormation.FailResource(site, "Certificate", Reason);

        var id = await _h.SubmitAsync(TestSpecs.Site());
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var request = await _h.RequestAsync(id);
        Assert.Equal(RequestState.TestingFailed, request.State);
        Assert.Equal($"{site}: Certificate (AWS::CertificateManager::Certificate) CREATE_FAILED: {Reason}", request.FailureMessage);
        Assert.Equal("ROLLBACK_COMPLETE", _h.Aws.CloudFormation.StatusOf("us-east-1", site));
        Assert.Contains(request.AuditEvents, e => e.Action == nameof(WorkflowAction.FailTestingDeployment) && e.Reason == request.FailureMessage);

        // The rollback's own events (the stack's reason, the deletions) are stored too, but are not what the requester is told.
        var stored = await _h.QueryAsync(db => db.StackEvents.Where(e => e.StackName == site));
        Assert.Contains(stored, e => e.ResourceStatus == "ROLLBACK_IN_PROGRESS");
        Assert.Contains(stored, e => e.ResourceStatus == "ROLLBACK_COMPLETE");

        _h.Aws.CloudFormation.ClearFailures();
        var retried = await _h.Requests.ApplyAsync(id, WorkflowAction.Retry, TestActors.Dana);
        Assert.True(retried.Succeeded, retried.Message);
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        request = await _h.RequestAsync(id);
        Assert.Equal(RequestState.TestingReady, request.State);
        Assert.Null(request.FailureMessage);

        // A stack whose creation rolled back cannot be updated: it was deleted and created again.
        Assert.Equal(2, _h.Aws.CloudFormation.StacksCreated[site]);
        Assert.Equal(1, _h.Aws.CloudFormation.DeletesStarted[site]);
        Assert.Equal("CREATE_COMPLETE", _h.Aws.CloudFormation.StatusOf("us-east-1", site));
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task A_change_set_with_no_changes_is_not_a_failure()
    {
        var first = await _h.SubmitAsync(TestSpecs.MtaSts());
        await _h.RunUntilStateAsync(first, RequestState.TestingReady, RequestState.TestingFailed);

        // Forget that the shared stack is up to date: the next run deploys it again, and its change set is empty.
        await using (var db = await _h.Db.CreateDbContextAsync())
        {
            await db.Stacks.Where(s => s.Kind == StackKind.Shared).ExecuteUpdateAsync(s => s.SetProperty(x => x.TemplateSha256, (string?)null));
        }

        var second = await _h.SubmitAsync(TestSpecs.MtaSts("example.org") with { HostedZoneId = _h.Aws.Route53.AddZone("example.org") });
        await _h.RunUntilStateAsync(second, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.Equal(RequestState.TestingReady, (await _h.RequestAsync(second)).State);

        var run = Assert.Single(await _h.QueryAsync(db => db.DeploymentRuns.Where(r => r.RequestId == second)));
        var shared = Assert.Single(await _h.QueryAsync(db => db.StackOperations.Where(o => o.RunId == run.Id && o.Kind == StackKind.Shared)));
        Assert.Equal((StackStep.NoChanges, 0), (shared.Step, shared.ChangeCount));
        Assert.Equal(2, _h.Aws.CloudFormation.ChangeSetsCreated[StackNaming.Shared("portal")]);
        Assert.DoesNotContain(shared.ChangeSetName!, _h.Aws.CloudFormation.Executions.Keys);
        Assert.Empty(_h.Aws.Violations);
    }
}
