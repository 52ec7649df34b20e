using System.Text.Json.Nodes;

namespace Portal.Core.Templates;

/// <summary>
/// The capabilities CloudFormation requires acknowledged before it creates a stack from a template: any IAM resource
/// that exists with these parameters needs <c>CAPABILITY_IAM</c>, and one with a name of its own (RoleName, ...)
/// needs <c>CAPABILITY_NAMED_IAM</c>. Without them CreateChangeSet fails with <c>InsufficientCapabilities</c>.
/// </summary>
public static class StackCapabilities
{
    public const string Iam = "CAPABILITY_IAM";
    public const string NamedIam = "CAPABILITY_NAMED_IAM";

    private static readonly string[] NameProperties = ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"];

    /// <summary>Empty, <c>[CAPABILITY_IAM]</c> or <c>[CAPABILITY_NAMED_IAM]</c> (which covers unnamed resources too).</summary>
    public static IReadOnlyList<string> Required(JsonObject template, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        var conditions = TemplateConditions.Evaluate(template, parameters);
        var required = (IReadOnlyList<string>)[];
        foreach (var (_, resource) in template["Resources"] as JsonObject ?? [])
        {
            var type = (resource?["Type"] as JsonValue)?.ToString() ?? "";
            if (!type.StartsWith("AWS::IAM::", StringComparison.Ordinal) || !TemplateConditions.MayExist(resource, conditions))
            {
                continue;
            }

            if (resource?["Properties"] is JsonObject properties && NameProperties.Any(properties.ContainsKey))
            {
                return [NamedIam];
            }

            required = [Iam];
        }

        return required;
    }

    /// <summary>The same for a template body as the portal sends it (JSON).</summary>
    public static IReadOnlyList<string> Required(string templateBody, IReadOnlyDictionary<string, string> parameters) =>
        JsonNode.Parse(templateBody) is JsonObject template ? Required(template, parameters) : [];
}
