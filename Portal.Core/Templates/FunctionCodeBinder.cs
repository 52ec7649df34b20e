using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Core.Templates;

/// <summary>
/// Turns a CloudFront Function's code as written in a template (an <c>Fn::Sub</c> whose only substitutions are
/// declaration lines such as <c>var POLICY = "${PolicyText}";</c>) into plain code with each value written as a
/// JavaScript string literal. The literal is JSON with every character outside printable ASCII, and every quote,
/// backslash, <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, escaped: whatever the value holds, it stays one string.
/// </summary>
public static partial class FunctionCodeBinder
{
    /// <summary>CloudFront's limit on a function's code.</summary>
    public const int MaxCodeBytes = 10_240;

    private static readonly JsonSerializerOptions LiteralOptions = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary>The code with the declared values bound.</summary>
    /// <exception cref="TemplateFormatException">The template's code is not of the form above, or a value is missing.</exception>
    public static string Bind(JsonNode? functionCode, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var source = functionCode switch
        {
            JsonValue plain when plain.TryGetValue<string>(out var text) => text,
            JsonObject sub when sub["Fn::Sub"] is JsonValue body && body.TryGetValue<string>(out var text) => text,
            JsonObject sub when sub["Fn::Sub"] is JsonArray { Count: 2 } pair && pair[0] is JsonValue body
                && body.TryGetValue<string>(out var text) => text,
            _ => throw new TemplateFormatException("FunctionCode must be a string or an Fn::Sub of a string."),
        };

        var result = new StringBuilder(source.Length + 256);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in source.Split('\n'))
        {
            var declaration = Declaration().Match(line);
            if (declaration.Success)
            {
                var name = declaration.Groups["name"].Value;
                if (!values.TryGetValue(name, out var value))
                {
                    throw new TemplateFormatException($"No value given for ${{{name}}} in the function code.");
                }

                used.Add(name);
                result.Append("var ").Append(declaration.Groups["variable"].Value).Append(" = ")
                    .Append(JsLiteral(value)).Append(';').Append('\n');
                continue;
            }

            var rest = line.Replace("${!", "\u0001", StringComparison.Ordinal);
            if (rest.Contains("${", StringComparison.Ordinal))
            {
                throw new TemplateFormatException($"Function code substitutes outside a declaration line: '{line.Trim()}'.");
            }

            result.Append(rest.Replace("\u0001", "${", StringComparison.Ordinal)).Append('\n');
        }

        var unused = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unused.Count > 0)
        {
            throw new TemplateFormatException($"The function code declares no ${{{unused[0]}}}.");
        }

        // Split and re-join added one line break at the end; the source already ended with one (YAML '|').
        result.Length--;
        return result.ToString();
    }

    /// <summary>A JavaScript string literal of <paramref name="value"/>, in ASCII.</summary>
    public static string JsLiteral(string value) => JsonSerializer.Serialize(value, LiteralOptions);

    [GeneratedRegex("""^var (?<variable>[A-Z][A-Z0-9_]*) = "\$\{(?<name>[A-Za-z][A-Za-z0-9]*)\}";$""", RegexOptions.CultureInvariant)]
    private static partial Regex Declaration();
}
