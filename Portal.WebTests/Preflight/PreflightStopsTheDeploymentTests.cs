using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Preflight;

/// <summary>The engine runs the preflight before it creates a run: a failure stops the deployment before any stack, with its message.</summary>
public sealed class PreflightStopsTheDeploymentTests
{
    [Fact]
    public async Task A_failed_check_fails_the_request_with_the_message_and_no_stack_is_created()
    {
        await using var h = await EngineHarness.StartAsync();
        h.NewEngine(preflight: h.NewPreflight());
        var id = await h.SubmitAsync(TestSpecs.Site() with { HostedZoneId = "Z9NOSUCHZONE" });

        await h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);

        var request = await h.RequestAsync(id);
        Assert.Equal(RequestState.TestingFailed, request.State);
        Assert.Equal(
            "The preflight stopped the deployment: The hosted zone Z9NOSUCHZONE does not exist in this account. Edit the request and choose example.com with the id Z0123456789ABC.",
            request.FailureMessage);
        Assert.Empty(h.Aws.CloudFormation.StacksCreated);
        Assert.Empty(h.Aws.Violations);
    }
}
