using System.IO.Compression;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// A downloaded stack deploys as the portal deploys it: with the configured CloudFormation service role as
/// <c>--role-arn</c>, and the site's deploy role bounded by the permissions boundary named after the stack prefix.
/// </summary>
public sealed class ServiceRoleInDeployScriptTests
{
    private const string Role = "arn:aws:iam::123456789012:role/portal-cloudformation";

    private static RenderedStack Site()
    {
        var spec = new SiteSpec { Host = "docs.example.com", HostedZoneId = "Z0123456789ABC", HostedZoneName = "example.com", DeployRole = new GitHubDeployRole("acme/docs", "main") };
        var result = RenderMatrix.Renderer(RenderMatrix.DefaultSettings).Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", spec), DeploymentEnvironment.Testing);
        Assert.True(result.IsSuccess);
        return result.Stacks.Single(s => s.Kind == StackKind.Site);
    }

    [Fact]
    public void The_configured_service_role_is_passed_with_role_arn()
    {
        var stack = Site();
        Assert.Contains($" --role-arn '{Role}' ", StackDownloads.DeployCommand(stack, roleArn: Role), StringComparison.Ordinal);
        Assert.DoesNotContain("--role-arn '", StackDownloads.DeployCommand(stack), StringComparison.Ordinal);

        using var zip = new ZipArchive(new MemoryStream(StackDownloads.Create(stack, roleArn: Role).Content));
        using var script = new StreamReader(zip.GetEntry($"{stack.StackName}/{StackDownloads.ScriptFile}")!.Open());
        Assert.Contains($"--role-arn '{Role}'", script.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_deploy_role_boundary_is_named_after_the_stack_prefix()
    {
        var stack = Site();
        Assert.Equal(StackNaming.SiteRoleBoundary(RenderMatrix.DefaultSettings.StackNamePrefix),
            stack.Parameters.Single(p => p.ParameterKey == "PermissionsBoundaryName").ParameterValue);
        Assert.Equal("portal-site-role-boundary", StackNaming.SiteRoleBoundary("portal"));
    }
}
