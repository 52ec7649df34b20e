using System.Text.Json.Nodes;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Tests.Infrastructure;
using Portal.Tests.Templates;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>Every stack the portal renders deploys on the local cloud, with the capabilities the stack says it needs.</summary>
public sealed class RenderedStacksDeployTests
{
    public static TheoryData<string> Specs() => ["site", "site-with-role", "mta-sts", "shared"];

    [Theory]
    [MemberData(nameof(Specs))]
    public void A_rendered_stack_is_created_and_deleted(string which)
    {
        var renderer = RenderMatrix.Renderer(RenderMatrix.DefaultSettings);
        var result = which switch
        {
            "shared" => new RenderResult([renderer.RenderShared()], []),
            "mta-sts" => renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", TestSpecs.MtaSts()), DeploymentEnvironment.Testing),
            "site-with-role" => renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", TestSpecs.Site() with { DeployRole = new GitHubDeployRole("acme-corp/site", "main") }), DeploymentEnvironment.Testing),
            _ => renderer.Render(new RenderRequest(RenderMatrix.RequestId, 1, "Alice", TestSpecs.Site()), DeploymentEnvironment.Testing),
        };
        Assert.NotEmpty(result.Stacks);

        // The headers stacks first (the others import their exports), deleted last.
        var stacks = result.HeadersStacks.Concat(result.Stacks).ToList();
        var h = new CloudFormationHarness();
        foreach (var stack in stacks)
        {
            var parameters = stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue);
            var created = h.Start(stack.StackName, "cs", JsonNode.Parse(stack.TemplateBody)!.AsObject(), parameters, capabilities: stack.Capabilities);
            Assert.Null(created.Error?.Message);
            var status = h.Settle(stack.StackName);
            var failures = h.Events(stack.StackName).Where(e => e.Status.EndsWith("_FAILED", StringComparison.Ordinal)).Select(e => $"{e.Logical}: {e.Reason}");
            Assert.True(status == "CREATE_COMPLETE", $"{stack.StackName}: {status} {string.Join("; ", failures)}");
        }

        foreach (var stack in Enumerable.Reverse(stacks))
        {
            Assert.Null(h.Engine.Handle("DeleteStack", CloudFormationHarness.Region, CloudFormationHarness.Input(("StackName", stack.StackName))).Error);
            Assert.Equal("DELETE_COMPLETE", h.Settle(stack.StackName));
        }
    }
}
