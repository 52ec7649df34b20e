using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>A site with a deploy role needs CAPABILITY_IAM: the portal acknowledges it and the role is created.</summary>
public sealed class DeployRoleCapabilitiesTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_site_with_a_deploy_role_is_deployed_with_CAPABILITY_IAM()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [], DeployRole = new GitHubDeployRole("acme-corp/docs.site", "main") });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var request = await _h.RequestAsync(id);
        Assert.Null(request.FailureMessage);
        Assert.Equal(RequestState.TestingReady, request.State);

        var site = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        var role = Assert.Single(_h.Aws.Endpoint.Resources.OfType("AWS::IAM::Role"));
        Assert.Equal("DeployRole", role.LogicalId);
        Assert.Contains(site, role.StackId, StringComparison.Ordinal);
        Assert.Empty(_h.Aws.Violations);
    }
}
