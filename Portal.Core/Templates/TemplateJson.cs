using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Core.Templates;

/// <summary>
/// The one way the portal writes template JSON: indented for a reviewer's diff, property order as in the YAML,
/// and only what JSON requires escaped (quotes, backslashes, control characters), so CSP quotes stay readable.
/// The same input always gives the same bytes.
/// </summary>
public static class TemplateJson
{
    public static JsonSerializerOptions FileOptions { get; } = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    };

    public static JsonSerializerOptions CompactOptions { get; } = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string WriteCompact(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(CompactOptions) + "\n";
    }

    public static string Write(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(FileOptions) + "\n";
    }
}
