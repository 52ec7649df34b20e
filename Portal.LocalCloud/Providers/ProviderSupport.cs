using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.LocalCloud.Providers;

/// <summary>Identifier shapes, property reads and the failure text CloudFormation shows, shared by the providers.</summary>
internal static class ProviderSupport
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string UpperId(int length) => RandomNumberGenerator.GetString(Upper, length);

    public static string LowerId(int length) => RandomNumberGenerator.GetString(Lower, length);

    public static string Uuid() => Guid.NewGuid().ToString("D");

    /// <summary>
    /// The reason CloudFormation shows when a service refused a call, in the AWS SDK for Java's exception text that
    /// CloudFormation's handlers pass on: <c>message (Service: X; Status Code: n; Error Code: Code; Request ID: id;
    /// Proxy: null)</c>, S3 adding its extended request id. This form names the service's error code, which the
    /// portal and its tests tell failures apart by.
    /// </summary>
    public static string ServiceError(string service, int status, string code, string message)
    {
        var extended = service == "Amazon S3" ? $"; S3 Extended Request ID: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))}" : "";
        var requestId = service == "Amazon S3" ? UpperId(16) : Uuid();
        return $"{message} (Service: {service}; Status Code: {status.ToString(CultureInfo.InvariantCulture)}; Error Code: {code}; Request ID: {requestId}{extended}; Proxy: null)";
    }

    /// <summary>A name CloudFormation makes up when the template gives none: stack, logical id and a random suffix.</summary>
    public static string GeneratedName(string stackName, string logicalId, int maxLength, bool lowerCase)
    {
        var suffix = lowerCase ? LowerId(12) : UpperId(12);
        var head = $"{stackName}-{logicalId}";
        var room = maxLength - suffix.Length - 1;
        var name = (head.Length > room ? head[..room] : head) + "-" + suffix;
        return lowerCase ? name.ToLowerInvariant() : name;
    }

    public static string? Str(this JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        } : null;

    public static bool Bool(this JsonNode? node, string property) =>
        node.Str(property) is { } s && bool.TryParse(s, out var b) && b;

    public static IReadOnlyList<JsonNode> Items(this JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonArray a ? a.Where(n => n is not null).Select(n => n!).ToList() : [];

    public static IReadOnlyList<string> Strings(this JsonNode? node, string property) =>
        node.Items(property).OfType<JsonValue>().Select(v => v.ToString()).ToList();

    /// <summary>A policy document as CloudFormation passes it: a JSON object, or a string holding one. Null when not JSON.</summary>
    public static JsonObject? PolicyDocument(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            return o;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            try
            {
                return JsonNode.Parse(v.GetValue<string>()) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The UTF-8 size of a text, as AWS counts a function's code.</summary>
    public static int Utf8Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    public static Dictionary<string, string> Attributes(params (string Name, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
}
