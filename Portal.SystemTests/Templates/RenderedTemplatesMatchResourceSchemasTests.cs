using System.Text.Json.Nodes;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// Oracle: CloudFormation's own resource schemas. Every stack of every request in the matrix, resolved with its
/// rendered parameters as CloudFormation would, has only resources whose type has a schema and whose properties
/// pass it, sets no read-only property, and passes the template's own Rules.
/// </summary>
public sealed class RenderedTemplatesMatchResourceSchemasTests
{
    [Theory]
    [MemberData(nameof(RenderMatrix.CaseNames), MemberType = typeof(RenderMatrix))]
    public void Every_stack_of_the_request_passes_the_resource_schemas(string spec, string environment, string settings)
    {
        var result = RenderMatrix.Render(spec, environment, settings);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        Assert.NotEmpty(result.Stacks);
        foreach (var stack in result.Stacks)
        {
            AssertValid(stack);
        }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("other")]
    public void The_shared_stack_passes_the_resource_schemas(string settings)
    {
        AssertValid(RenderMatrix.Renderer(RenderMatrix.Settings(settings)).RenderShared());
    }

    [Fact]
    public void A_resource_type_without_a_schema_fails()
    {
        var template = new JsonObject
        {
            ["Resources"] = new JsonObject
            {
                ["Queue"] = new JsonObject { ["Type"] = "AWS::SQS::Queue", ["Properties"] = new JsonObject() },
            },
        };

        var problems = ResourceSchemas.Shared.Validate(template);

        Assert.Contains(problems, p => p.Contains("no schema for resource type AWS::SQS::Queue", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wrong_property_fails()
    {
        var template = new JsonObject
        {
            ["Resources"] = new JsonObject
            {
                ["Bucket"] = new JsonObject
                {
                    ["Type"] = "AWS::S3::Bucket",
                    ["Properties"] = new JsonObject { ["VersioningConfiguration"] = new JsonObject { ["Status"] = "On" } },
                },
            },
        };

        Assert.NotEmpty(ResourceSchemas.Shared.Validate(template));
    }

    internal static void AssertValid(RenderedStack stack)
    {
        var template = JsonNode.Parse(stack.TemplateBody)!.AsObject();
        var parameters = stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue);
        var (resolved, ruleFailures) = TemplateEvaluator.Resolve(template, parameters, stack.Region);

        Assert.True(ruleFailures.Count == 0, $"{stack.StackName}: {string.Join("; ", ruleFailures)}");
        var problems = ResourceSchemas.Shared.Validate(resolved);
        Assert.True(problems.Count == 0, $"{stack.StackName}:\n{string.Join("\n", problems)}");
    }
}
