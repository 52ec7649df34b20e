using System.Text.Json.Nodes;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// A rendered stack knows the capabilities CloudFormation requires for it: CAPABILITY_IAM for an IAM resource that
/// exists with its parameters, CAPABILITY_NAMED_IAM when one is named; deploy.sh acknowledges them.
/// </summary>
public sealed class StackCapabilitiesTests
{
    private static RenderedStack Site(GitHubDeployRole? role)
    {
        var spec = new SiteSpec { Host = "docs.example.com", HostedZoneId = "Z0123456789ABC", HostedZoneName = "example.com", DeployRole = role };
        var result = RenderMatrix.Renderer(RenderMatrix.DefaultSettings).Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", spec), DeploymentEnvironment.Testing);
        Assert.True(result.IsSuccess);
        return result.Stacks.Single(s => s.Kind == StackKind.Site);
    }

    [Fact]
    public void A_site_with_a_deploy_role_requires_CAPABILITY_IAM_and_deploy_sh_acknowledges_it()
    {
        var stack = Site(new GitHubDeployRole("acme-corp/handbook.site", "main"));
        Assert.Equal([StackCapabilities.Iam], stack.Capabilities);
        Assert.Contains(" --capabilities 'CAPABILITY_IAM' ", StackDownloads.DeployCommand(stack), StringComparison.Ordinal);
    }

    [Fact]
    public void A_site_without_a_deploy_role_requires_none()
    {
        var stack = Site(null);
        Assert.Empty(stack.Capabilities);
        Assert.DoesNotContain("--capabilities", StackDownloads.DeployCommand(stack), StringComparison.Ordinal);
        Assert.Empty(RenderMatrix.Renderer(RenderMatrix.DefaultSettings).RenderShared().Capabilities);
    }

    [Theory]
    [InlineData(null, null, new string[0])]
    [InlineData(null, "AWS::IAM::Role", new[] { "CAPABILITY_IAM" })]
    [InlineData("RoleName", "AWS::IAM::Role", new[] { "CAPABILITY_NAMED_IAM" })]
    [InlineData("ManagedPolicyName", "AWS::IAM::ManagedPolicy", new[] { "CAPABILITY_NAMED_IAM" })]
    public void Named_IAM_resources_require_CAPABILITY_NAMED_IAM(string? nameProperty, string? type, string[] expected)
    {
        var properties = new JsonObject();
        if (nameProperty is not null)
        {
            properties[nameProperty] = "fixed-name";
        }

        var resources = new JsonObject { ["Bucket"] = new JsonObject { ["Type"] = "AWS::S3::Bucket" } };
        if (type is not null)
        {
            resources["Iam"] = new JsonObject { ["Type"] = type, ["Properties"] = properties };
        }

        Assert.Equal(expected, StackCapabilities.Required(new JsonObject { ["Resources"] = resources }, new Dictionary<string, string>()));
    }
}
