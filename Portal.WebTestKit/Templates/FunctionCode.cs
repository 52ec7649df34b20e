using System.Text.Json.Nodes;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>Finds the code of a CloudFront Function in a rendered (or hand-resolved) template.</summary>
internal static class FunctionCode
{
    public static string Of(RenderedStack stack, string resource) => Of(JsonNode.Parse(stack.TemplateBody)!.AsObject(), resource);

    public static string Of(JsonObject template, string resource) =>
        template["Resources"]![resource]!["Properties"]!["FunctionCode"]!.GetValue<string>();

    /// <summary>The code CloudFormation would deploy from the hand-deployable YAML template with the stack's parameters.</summary>
    public static string FromHandTemplate(StackKind kind, RenderedStack stack, string resource)
    {
        var template = TemplateLibrary.LoadEmbedded().Json(kind);
        var parameters = stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue);
        var (resolved, failures) = TemplateEvaluator.Resolve(template, parameters, stack.Region);
        Assert.Empty(failures);
        return Of(resolved, resource);
    }
}
