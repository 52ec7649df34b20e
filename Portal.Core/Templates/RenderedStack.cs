using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Portal.Core.Requests;

namespace Portal.Core.Templates;

/// <summary>One stack ready to deploy: the template body is JSON, the parameters are in the template's order.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A CloudFormation stack, not a stack collection.")]
public sealed record RenderedStack(
    string StackName,
    string Region,
    string TemplateBody,
    IReadOnlyList<StackParameter> Parameters,
    IReadOnlyList<StackTag> Tags)
{
    public StackKind Kind { get; init; }

    /// <summary>Null for the shared stack, which serves both environments.</summary>
    public DeploymentEnvironment? Environment { get; init; }

    /// <summary>The parameters as <c>aws cloudformation</c> reads them: <c>[{"ParameterKey":..,"ParameterValue":..}]</c>.</summary>
    public string ParametersJson() => JsonSerializer.Serialize(Parameters, TemplateJson.FileOptions) + "\n";

    /// <summary>The capabilities CloudFormation requires acknowledged for this template and these parameters.</summary>
    public IReadOnlyList<string> Capabilities =>
        StackCapabilities.Required(TemplateBody, Parameters.ToDictionary(p => p.ParameterKey, p => p.ParameterValue, StringComparer.Ordinal));

    /// <summary>The value of one parameter; null when the template has no such parameter.</summary>
    public string? Parameter(string key) => Parameters.FirstOrDefault(p => p.ParameterKey == key)?.ParameterValue;
}

public sealed record StackParameter(
    [property: JsonPropertyName("ParameterKey")] string ParameterKey,
    [property: JsonPropertyName("ParameterValue")] string ParameterValue);

public sealed record StackTag(
    [property: JsonPropertyName("Key")] string Key,
    [property: JsonPropertyName("Value")] string Value);

/// <summary>The tags the portal puts on every stack, so that any stack in an account can be traced to its request.</summary>
public static partial class StackTags
{
    public const string Prefix = "portal:";
    public const string RequestId = "portal:request-id";
    public const string Revision = "portal:revision";
    public const string Environment = "portal:environment";
    public const string Requester = "portal:requester";
    public const string Kind = "portal:stack-kind";

    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;

    public static bool IsValidKey(string? key) => !string.IsNullOrEmpty(key) && key.Length <= MaxKeyLength && Allowed().IsMatch(key);

    public static bool IsValidValue(string? value) => value is not null && value.Length <= MaxValueLength && Allowed().IsMatch(value);

    /// <summary>
    /// A tag value from free text (a person's name): characters CloudFormation refuses in tags become <c>_</c>,
    /// and the result is cut to 256 characters. Tags only label a stack, so a lossy but stable value is enough.
    /// </summary>
    public static string SanitizeValue(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var cleaned = Disallowed().Replace(text, "_");
        return cleaned.Length <= MaxValueLength ? cleaned : cleaned[..MaxValueLength];
    }

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();

    // One text element at a time, so a surrogate pair (an emoji) becomes one '_', never half a character.
    [GeneratedRegex(@"[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\p{L}\p{Z}\p{N}_.:/=+\-@]", RegexOptions.CultureInvariant)]
    private static partial Regex Disallowed();
}
