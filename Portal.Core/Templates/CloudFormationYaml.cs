using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Core.Templates;

/// <summary>
/// Reads a CloudFormation YAML template into the JSON form CloudFormation itself uses: short-form tags
/// (<c>!Ref</c>, <c>!Sub</c>, <c>!GetAtt a.b</c>, ...) become their long forms (<c>Ref</c>, <c>Fn::Sub</c>,
/// <c>Fn::GetAtt: [a, b]</c>), plain scalars are typed as YAML 1.2's core schema types them, quoted ones stay strings.
/// </summary>
public static partial class CloudFormationYaml
{
    // Every short form CloudFormation accepts, in templates and in the Rules section.
    private static readonly HashSet<string> FunctionTags = new(StringComparer.Ordinal)
    {
        "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform",
        "And", "Equals", "If", "Not", "Or", "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf",
        "ValueOfAll", "Length", "ToJsonString", "ForEach",
    };

    /// <summary>Parses one template. A malformed template is a defect of the template, reported with its line.</summary>
    /// <exception cref="TemplateFormatException">The text is not a single YAML document of CloudFormation's form.</exception>
    public static JsonObject ToJson(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new TemplateFormatException($"Line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (stream.Documents.Count != 1)
        {
            throw new TemplateFormatException($"A template is one YAML document; found {stream.Documents.Count}.");
        }

        return Convert(stream.Documents[0].RootNode) as JsonObject
            ?? throw new TemplateFormatException("A template's top level is a mapping.");
    }

    private static JsonNode? Convert(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is not null && tag.StartsWith('!') && tag != "!" && !tag.StartsWith("!!", StringComparison.Ordinal))
        {
            return ConvertTagged(node, tag[1..]);
        }

        return node switch
        {
            YamlMappingNode mapping => ConvertMapping(mapping),
            YamlSequenceNode sequence => ConvertSequence(sequence),
            YamlScalarNode scalar => ConvertScalar(scalar, tag),
            _ => throw new TemplateFormatException($"Line {node.Start.Line}: unsupported YAML node."),
        };
    }

    private static JsonObject ConvertMapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new TemplateFormatException($"Line {key.Start.Line}: a mapping key must be a plain string.");
            }

            if (result.ContainsKey(name))
            {
                throw new TemplateFormatException($"Line {key.Start.Line}: duplicate key '{name}'.");
            }

            result[name] = Convert(value);
        }

        return result;
    }

    private static JsonArray ConvertSequence(YamlSequenceNode sequence)
    {
        var result = new JsonArray();
        foreach (var item in sequence.Children)
        {
            result.Add(Convert(item));
        }

        return result;
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar, string? tag)
    {
        var text = scalar.Value ?? "";
        var quoted = scalar.Style is not ScalarStyle.Plain and not ScalarStyle.Any;
        if (quoted || tag is "!" or "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    private static JsonObject ConvertTagged(YamlNode node, string name)
    {
        switch (name)
        {
            case "Ref":
                return new JsonObject { ["Ref"] = ScalarText(node, name) };
            case "Condition":
                return new JsonObject { ["Condition"] = ScalarText(node, name) };
            case "GetAtt" when node is YamlScalarNode:
                var target = ScalarText(node, name);
                var dot = target.IndexOf('.', StringComparison.Ordinal);
                if (dot <= 0 || dot == target.Length - 1)
                {
                    throw new TemplateFormatException($"Line {node.Start.Line}: !GetAtt needs Resource.Attribute; got '{target}'.");
                }

                return new JsonObject { ["Fn::GetAtt"] = new JsonArray(target[..dot], target[(dot + 1)..]) };
            case "GetAtt":
                return new JsonObject { ["Fn::GetAtt"] = Untagged(node) };
            default:
                if (!FunctionTags.Contains(name))
                {
                    throw new TemplateFormatException($"Line {node.Start.Line}: unknown tag '!{name}'.");
                }

                return new JsonObject { ["Fn::" + name] = Untagged(node) };
        }
    }

    // The tag names the function; its argument is the node read as if untagged. A scalar argument is always
    // a string (!Sub 'x', !GetAZs ''), whatever it looks like.
    private static JsonNode? Untagged(YamlNode node) => node switch
    {
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        YamlMappingNode mapping => ConvertMapping(mapping),
        YamlSequenceNode sequence => ConvertSequence(sequence),
        _ => throw new TemplateFormatException($"Line {node.Start.Line}: unsupported YAML node."),
    };

    private static string ScalarText(YamlNode node, string tag) =>
        node is YamlScalarNode { Value: { Length: > 0 } value }
            ? value
            : throw new TemplateFormatException($"Line {node.Start.Line}: !{tag} takes a name.");

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}

/// <summary>A template that is not valid CloudFormation YAML: a defect of the portal's own files, never of a user's input.</summary>
public sealed class TemplateFormatException : Exception
{
    public TemplateFormatException()
    {
    }

    public TemplateFormatException(string message)
        : base(message)
    {
    }

    public TemplateFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
