using System.Text.Json.Nodes;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>Finds the code of a CloudFront Function in a rendered (or hand-resolved) template.</summary>
internal static class FunctionCode
{
    public static string Of(RenderedStack stack, string resource) => Of(JsonNode.Parse(stack.TemplateBody)!.AsObject(), resource);

    public static string Of(JsonObject template, string resource) =>
        template["Resources"]![resource]!["Properties"]!["FunctionCode"]!.GetValue<string>();

    /// <summary>
    /// The code CloudFormation would deploy from the hand-deployable YAML template with the stack's parameters, plus
    /// <paramref name="handOnly"/>: values a person deploying by hand gives, which the rendered stack leaves out because
    /// the renderer wrote them into the code.
    /// </summary>
    public static string FromHandTemplate(StackKind kind, RenderedStack stack, string resource, IReadOnlyDictionary<string, string>? handOnly = null)
    {
        var template = TemplateLibrary.LoadEmbedded().Json(kind);
        var parameters = stack.Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue);
        foreach (var (key, value) in handOnly ?? new Dictionary<string, string>())
        {
            Assert.True(parameters.TryAdd(key, value), $"The rendered stack already has {key}.");
        }

        var (resolved, failures) = TemplateEvaluator.Resolve(template, parameters, stack.Region);
        Assert.Empty(failures);
        return Of(resolved, resource);
    }
}
