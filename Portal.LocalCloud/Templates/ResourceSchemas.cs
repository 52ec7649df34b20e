using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Pointer;
using Json.Schema;

namespace Portal.LocalCloud.Templates;

/// <summary>
/// CloudFormation's own resource schemas (the registry schemas in <c>Templates/Schemas</c>, embedded): a resolved
/// resource that passes them has the property names, types, enums and required members CloudFormation accepts.
/// A resource type without a schema there is an error, never a pass.
/// </summary>
public sealed class ResourceSchemas
{
    private readonly Dictionary<string, (JsonSchema Schema, IReadOnlyList<string> ReadOnly)> _byType;

    private readonly Dictionary<string, JsonObject> _documents;

    private ResourceSchemas(Dictionary<string, (JsonSchema, IReadOnlyList<string>)> byType, Dictionary<string, JsonObject> documents)
    {
        _byType = byType;
        _documents = documents;
    }

    private static readonly Lazy<ResourceSchemas> LazyShared = new(Load);

    /// <summary>Loaded once per process; the schemas are embedded in the assembly and never change.</summary>
    public static ResourceSchemas Shared => LazyShared.Value;

    /// <summary>The schema document of a resource type as CloudFormation's registry publishes it, or null.</summary>
    public JsonObject? Document(string type) => _documents.TryGetValue(type, out var d) ? d : null;

    /// <summary>The properties whose change replaces the resource (the schema's <c>createOnlyProperties</c>), without the <c>/properties/</c> prefix.</summary>
    public IReadOnlyList<string> CreateOnlyProperties(string type) =>
        (Document(type)?["createOnlyProperties"] as JsonArray ?? [])
            .Select(p => p!.GetValue<string>().Replace("/properties/", "", StringComparison.Ordinal)).ToList();

    /// <summary>The attributes <c>Fn::GetAtt</c> can read of a type (its read-only properties, nested ones dotted).</summary>
    public IReadOnlySet<string> Attributes(string type) =>
        (Document(type)?["readOnlyProperties"] as JsonArray ?? [])
            .Select(p => p!.GetValue<string>().Replace("/properties/", "", StringComparison.Ordinal).Replace('/', '.')).ToHashSet(StringComparer.Ordinal);

    private static ResourceSchemas Load()
    {
        var assembly = typeof(ResourceSchemas).Assembly;
        string Read(string name)
        {
            using var stream = assembly.GetManifestResourceStream("Schemas/" + name)
                ?? throw new InvalidOperationException($"The CloudFormation schema {name} is not embedded in {assembly.GetName().Name}.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        var byType = new Dictionary<string, (JsonSchema, IReadOnlyList<string>)>(StringComparer.Ordinal);
        var documents = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var line in Read("MANIFEST.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1))
        {
            var columns = line.Split(',');
            if (columns.Length < 2)
            {
                continue;
            }

            // The files name CloudFormation's provider meta-schema as $schema; validation needs only the JSON Schema
            // keywords, so they are read as plain 2020-12 schemas.
            var node = JsonNode.Parse(Read(columns[1]))!.AsObject();
            documents[columns[0]] = (JsonObject)node.DeepClone();
            node.Remove("$schema");
            // 2020-12 knows dependentRequired, which the schemas use; their own extra keywords (createOnlyProperties,
            // tagging, requiredXor, ...) are annotations here, as the schemas' README says.
            var options = new BuildOptions
            {
                SchemaRegistry = new SchemaRegistry(),
                Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true),
            };
            using var document = JsonDocument.Parse(node.ToJsonString());
            var schema = JsonSchema.Build(document.RootElement.Clone(), options, new Uri($"https://schemas.local-cloud/{columns[1]}"));
            var readOnly = (node["readOnlyProperties"] as JsonArray ?? [])
                .Select(p => p!.GetValue<string>()).ToList();
            byType[columns[0]] = (schema, readOnly);
        }

        return new ResourceSchemas(byType, documents);
    }

    public IReadOnlyCollection<string> Types => _byType.Keys;

    /// <summary>
    /// The problems of one resource's resolved properties, each as CloudFormation words them in a
    /// "Properties validation failed" reason: <c>#/Path: message</c>. Empty when they pass.
    /// </summary>
    public IReadOnlyList<string> ValidateProperties(string type, JsonObject properties)
    {
        if (!_byType.TryGetValue(type, out var entry))
        {
            return [$"#: no schema for resource type {type}"];
        }

        var problems = new List<string>();
        using var document = JsonDocument.Parse(properties.ToJsonString());
        var results = entry.Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            foreach (var detail in (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }))
            {
                foreach (var (_, message) in detail.Errors!)
                {
                    problems.Add($"#{detail.InstanceLocation}: {message}");
                }
            }

            if (problems.Count == 0)
            {
                problems.Add("#: does not match the resource type's schema");
            }
        }

        foreach (var pointer in entry.ReadOnly)
        {
            var path = JsonPointer.Parse(pointer["/properties".Length..]);
            if (path.Evaluate(document.RootElement) is not null)
            {
                problems.Add($"#{pointer["/properties".Length..]}: read-only property cannot be set");
            }
        }

        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every problem of every resource of a resolved template, each naming the resource and the place.</summary>
    public IReadOnlyList<string> Validate(JsonObject resolvedTemplate)
    {
        var problems = new List<string>();
        foreach (var (name, resource) in resolvedTemplate["Resources"]!.AsObject())
        {
            var type = resource!["Type"]!.GetValue<string>();
            if (!_byType.TryGetValue(type, out var entry))
            {
                problems.Add($"{name}: no schema for resource type {type}.");
                continue;
            }

            var properties = resource["Properties"] ?? new JsonObject();
            using var document = JsonDocument.Parse(properties.ToJsonString());
            var results = entry.Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!results.IsValid)
            {
                var details = results.Details ?? [];
                foreach (var detail in details.Where(d => d.Errors is { Count: > 0 }))
                {
                    foreach (var (keyword, message) in detail.Errors!)
                    {
                        problems.Add($"{name} ({type}) at '{detail.InstanceLocation}': {keyword}: {message}");
                    }
                }

                if (!details.Any(d => d.Errors is { Count: > 0 }))
                {
                    problems.Add($"{name} ({type}): does not match its schema.");
                }
            }

            foreach (var pointer in entry.ReadOnly)
            {
                var path = JsonPointer.Parse(pointer["/properties".Length..]);
                if (path.Evaluate(document.RootElement) is not null)
                {
                    problems.Add($"{name} ({type}) sets the read-only property {pointer}.");
                }
            }
        }

        return problems;
    }
}
