using System.Text.Json;

namespace Portal.Core.ApiReference;

public sealed record ApiParameterInfo(string Name, string In, bool Required, string Type, string? Description);

public sealed record ApiResponseInfo(string Status, string Description, IReadOnlyList<string> ContentTypes, string? Type);

public sealed record ApiOperationInfo(
    string Method,
    string Path,
    string? OperationId,
    string? Summary,
    string Tag,
    IReadOnlyList<ApiParameterInfo> Parameters,
    IReadOnlyList<string> RequestContentTypes,
    string? RequestType,
    IReadOnlyList<ApiResponseInfo> Responses)
{
    /// <summary>An id for the page's anchors, e.g. <c>op-get-api-v1-requests-id</c>.</summary>
    public string Anchor => "op-" + ApiReferenceDocument.Slug(Method + " " + Path);
}

public sealed record ApiPropertyInfo(string Name, string Type, bool Required);

public sealed record ApiSchemaInfo(string Name, string Kind, IReadOnlyList<ApiPropertyInfo> Properties, IReadOnlyList<string> Values)
{
    public string Anchor => "schema-" + ApiReferenceDocument.Slug(Name);
}

/// <summary>
/// The OpenAPI document read for people: operations grouped by tag with their parameters, bodies and responses, and
/// the schemas they name, each type written as a short phrase ("array of ApiRequest", "string (uuid), optional").
/// Reads OpenAPI 3.0 and 3.1 JSON; what it does not understand it shows as "object" rather than failing.
/// </summary>
public sealed record ApiReferenceDocument(string Title, string? Version, string? Description, IReadOnlyList<ApiOperationInfo> Operations, IReadOnlyList<ApiSchemaInfo> Schemas)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public IEnumerable<IGrouping<string, ApiOperationInfo>> ByTag => Operations.GroupBy(o => o.Tag);

    public static ApiReferenceDocument Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var info = root.TryGetProperty("info", out var i) ? i : default;
        var operations = new List<ApiOperationInfo>();
        if (root.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Object)
        {
            foreach (var path in paths.EnumerateObject())
            {
                var shared = Parameters(path.Value);
                foreach (var method in Methods)
                {
                    if (path.Value.TryGetProperty(method, out var operation))
                    {
                        operations.Add(Operation(method.ToUpperInvariant(), path.Name, operation, shared));
                    }
                }
            }
        }

        var schemas = new List<ApiSchemaInfo>();
        if (root.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var all) && all.ValueKind == JsonValueKind.Object)
        {
            foreach (var schema in all.EnumerateObject())
            {
                schemas.Add(Schema(schema.Name, schema.Value));
            }
        }

        return new ApiReferenceDocument(
            Text(info, "title") ?? "API",
            Text(info, "version"),
            Text(info, "description"),
            operations,
            [.. schemas.OrderBy(s => s.Name, StringComparer.Ordinal)]);
    }

    /// <summary>A readable phrase for a schema: its name when it is a reference, else its type and format.</summary>
    public static string TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "any";
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } r)
        {
            return r[(r.LastIndexOf('/') + 1)..];
        }

        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                var names = parts.EnumerateArray().Where(p => !IsNull(p)).Select(TypeOf).Distinct().ToList();
                var nullable = parts.EnumerateArray().Any(IsNull);
                return string.Join(" or ", names) + (nullable ? ", or null" : "");
            }
        }

        var types = new List<string>();
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array)
            {
                types.AddRange(type.EnumerateArray().Select(t => t.GetString()).OfType<string>());
            }
        }

        var nullableType = types.Remove("null");
        var main = types.Count == 0 ? (schema.TryGetProperty("properties", out _) ? "object" : "any") : string.Join(" or ", types);
        if (main == "array")
        {
            main = "array of " + (schema.TryGetProperty("items", out var items) ? TypeOf(items) : "any");
        }
        else if (schema.TryGetProperty("format", out var format) && format.GetString() is { Length: > 0 } f)
        {
            main += $" ({f})";
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            main += ": " + string.Join(", ", values.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => v.ToString()));
        }

        return nullableType || (schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True) ? main + ", or null" : main;
    }

    private static bool IsNull(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "null";

    public static string Slug(string text) =>
        string.Concat(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Trim('-').Replace("--", "-", StringComparison.Ordinal);

    private static ApiOperationInfo Operation(string method, string path, JsonElement operation, List<ApiParameterInfo> shared)
    {
        var parameters = new List<ApiParameterInfo>(shared);
        foreach (var own in Parameters(operation))
        {
            parameters.RemoveAll(p => p.Name == own.Name && p.In == own.In);
            parameters.Add(own);
        }

        var (requestTypes, requestType) = operation.TryGetProperty("requestBody", out var body) ? Content(body) : ([], null);
        var responses = new List<ApiResponseInfo>();
        if (operation.TryGetProperty("responses", out var answers) && answers.ValueKind == JsonValueKind.Object)
        {
            foreach (var answer in answers.EnumerateObject())
            {
                var (types, schema) = Content(answer.Value);
                responses.Add(new ApiResponseInfo(answer.Name, Text(answer.Value, "description") ?? "", types, schema));
            }
        }

        var tag = operation.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array && tags.GetArrayLength() > 0
            ? tags[0].GetString() ?? "Other"
            : "Other";
        return new ApiOperationInfo(method, path, Text(operation, "operationId"), Text(operation, "summary") ?? Text(operation, "description"), tag,
            parameters, requestTypes, requestType, responses);
    }

    private static List<ApiParameterInfo> Parameters(JsonElement holder)
    {
        var list = new List<ApiParameterInfo>();
        if (holder.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Array)
        {
            foreach (var p in parameters.EnumerateArray())
            {
                list.Add(new ApiParameterInfo(
                    Text(p, "name") ?? "?",
                    Text(p, "in") ?? "query",
                    p.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.True,
                    p.TryGetProperty("schema", out var schema) ? TypeOf(schema) : "any",
                    Text(p, "description")));
            }
        }

        return list;
    }

    private static (IReadOnlyList<string> Types, string? Schema) Content(JsonElement holder)
    {
        if (!holder.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object)
        {
            return ([], null);
        }

        var types = content.EnumerateObject().Select(c => c.Name).ToList();
        var schema = content.EnumerateObject().Select(c => c.Value.TryGetProperty("schema", out var s) ? TypeOf(s) : null).FirstOrDefault(s => s is not null);
        return (types, schema);
    }

    private static ApiSchemaInfo Schema(string name, JsonElement schema)
    {
        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(v => v.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p.EnumerateObject().Select(prop => new ApiPropertyInfo(prop.Name, TypeOf(prop.Value), required.Contains(prop.Name))).ToList()
            : [];
        var values = schema.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Where(v => v.ValueKind != JsonValueKind.Null).Select(v => v.ToString()).ToList()
            : [];
        var kind = values.Count > 0 ? "enumeration" : properties.Count > 0 ? "object" : TypeOf(schema);
        return new ApiSchemaInfo(name, kind, properties, values);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
