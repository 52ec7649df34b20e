using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Pointer;
using Json.Schema;

namespace Portal.Tests.Templates;

/// <summary>
/// CloudFormation's own resource schemas (the registry schemas in <c>Portal.WebTestKit/CfnSchemas</c>): a resolved
/// resource that passes them has the property names, types, enums and required members CloudFormation accepts.
/// A resource type without a schema there is an error, never a pass.
/// </summary>
internal sealed class ResourceSchemas
{
    private readonly Dictionary<string, (JsonSchema Schema, IReadOnlyList<string> ReadOnly)> _byType;

    private ResourceSchemas(Dictionary<string, (JsonSchema, IReadOnlyList<string>)> byType) => _byType = byType;

    /// <summary>Loaded once per test run; the files do not change while tests run.</summary>
    public static ResourceSchemas Shared { get; } = Load(FindDirectory());

    public static string FindDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PORTAL_CFN_SCHEMAS");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        // A copy of the registry schemas lives in the repository (Portal.WebTestKit/CfnSchemas) and is copied beside the tests.
        var vendored = Path.Combine(AppContext.BaseDirectory, "CfnSchemas");
        if (File.Exists(Path.Combine(vendored, "MANIFEST.csv")))
        {
            return vendored;
        }

        throw new InvalidOperationException($"The CloudFormation schemas were not found in {vendored}; set PORTAL_CFN_SCHEMAS.");
    }

    public static ResourceSchemas Load(string directory)
    {
        var byType = new Dictionary<string, (JsonSchema, IReadOnlyList<string>)>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(directory, "MANIFEST.csv")).Skip(1))
        {
            var columns = line.Split(',');
            if (columns.Length < 2)
            {
                continue;
            }

            // The files name CloudFormation's provider meta-schema as $schema; validation needs only the JSON Schema
            // keywords, so they are read as plain 2020-12 schemas.
            var node = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, columns[1])))!.AsObject();
            node.Remove("$schema");
            // 2020-12 knows dependentRequired, which the schemas use; their own extra keywords (createOnlyProperties,
            // tagging, requiredXor, ...) are annotations here, as the schemas' README says.
            var options = new BuildOptions
            {
                SchemaRegistry = new SchemaRegistry(),
                Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true),
            };
            using var document = JsonDocument.Parse(node.ToJsonString());
            var schema = JsonSchema.Build(document.RootElement.Clone(), options, new Uri($"https://schemas.test/{columns[1]}"));
            var readOnly = (node["readOnlyProperties"] as JsonArray ?? [])
                .Select(p => p!.GetValue<string>()).ToList();
            byType[columns[0]] = (schema, readOnly);
        }

        return new ResourceSchemas(byType);
    }

    public IReadOnlyCollection<string> Types => _byType.Keys;

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
