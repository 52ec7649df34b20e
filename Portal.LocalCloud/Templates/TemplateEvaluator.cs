using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.LocalCloud.Templates;

/// <summary>
/// Resolves a template the way CloudFormation does before it creates resources: parameters (given or default)
/// and pseudo parameters are substituted, conditions decide which resources and branches exist,
/// <c>AWS::NoValue</c> removes what it stands in, and <c>Ref</c>/<c>Fn::GetAtt</c> of a resource become a string
/// placeholder (every attribute our templates read is a string). Any intrinsic it does not know, or a reference to
/// something that does not exist, is an error: a template that passes here has no dangling names.
/// </summary>
public sealed partial class TemplateEvaluator
{
    public const string AccountId = "123456789012";
    public const string StackId = "arn:aws:cloudformation:us-east-1:123456789012:stack/portal-test/6c2b9a10-5f0e-11ef-8c6f-0a1b2c3d4e5f";

    private static readonly JsonNode NoValue = JsonValue.Create("\u0000AWS::NoValue")!;

    private readonly JsonObject _template;
    private readonly Dictionary<string, JsonNode> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);
    private readonly JsonObject _resources;
    private readonly string _region;
    private readonly string _stackId;
    private readonly string _stackName;
    private readonly Func<string, string, string?>? _resourceValue;
    private readonly Func<string, string?>? _importValue;
    private readonly HashSet<string> _imported = new(StringComparer.Ordinal);

    private TemplateEvaluator(JsonObject template, IReadOnlyDictionary<string, string> parameters, string region,
        string stackId = StackId, string stackName = "portal-test", Func<string, string, string?>? resourceValue = null,
        Func<string, string?>? importValue = null)
    {
        _template = template;
        _importValue = importValue;
        _region = region;
        _stackId = stackId;
        _stackName = stackName;
        _resourceValue = resourceValue;
        _resources = template["Resources"] as JsonObject ?? throw new InvalidOperationException("The template has no Resources.");
        foreach (var (name, definition) in template["Parameters"] as JsonObject ?? [])
        {
            var value = parameters.TryGetValue(name, out var given)
                ? given
                : definition?["Default"]?.ToString() ?? throw new InvalidOperationException($"Parameter {name} has no value and no default.");
            var type = definition?["Type"]?.GetValue<string>();
            _parameters[name] = type == "CommaDelimitedList"
                ? new JsonArray(value.Split(',').Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())
                // CloudFormation hands a Number parameter to an Integer property as that integer (and to text as its digits).
                : type == "Number" && long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(value)!;
        }

        foreach (var name in parameters.Keys.Where(k => !_parameters.ContainsKey(k)))
        {
            throw new InvalidOperationException($"A value is given for {name}, which the template does not declare.");
        }
    }

    /// <summary>The resolved template (Resources and Outputs), and the descriptions of any failed Rules assertions.</summary>
    /// <param name="importValue">The value of an export by name (null: none has it); without it an import resolves to a placeholder.</param>
    public static (JsonObject Resolved, IReadOnlyList<string> RuleFailures) Resolve(JsonObject template, IReadOnlyDictionary<string, string> parameters, string region,
        Func<string, string?>? importValue = null)
    {
        var evaluator = new TemplateEvaluator(template, parameters, region, importValue: importValue);
        return (evaluator.ResolveAll(), evaluator.CheckRules());
    }

    /// <summary>
    /// An evaluator for one stack of the engine: pseudo parameters are the stack's own, and <c>Ref</c>/<c>Fn::GetAtt</c>
    /// of a resource read <paramref name="resourceValue"/> (logical id, attribute or <c>Ref</c>); a null answer stands
    /// for a value not known yet and resolves to <see cref="Unknown"/>.
    /// </summary>
    /// <param name="importValue">The value of an export of the region by name, null when none has that name
    /// (<see cref="MissingExportException"/>); without it an import resolves to a placeholder.</param>
    public static TemplateEvaluator ForStack(JsonObject template, IReadOnlyDictionary<string, string> parameters, string region,
        string stackId, string stackName, Func<string, string, string?> resourceValue, Func<string, string?>? importValue = null) =>
        new(template, parameters, region, stackId, stackName, resourceValue, importValue);

    /// <summary>The account of the stack being evaluated: the one its stack id names (an account other than the default one has its own).</summary>
    private string StackAccount => _stackId.Split(':') is { Length: > 5 } parts && parts[4].Length == 12 && parts[4].All(char.IsAsciiDigit) ? parts[4] : AccountId;

    /// <summary>The export names every <c>Fn::ImportValue</c> resolved so far named.</summary>
    public IReadOnlySet<string> Imported => _imported;

    /// <summary>The export names of the outputs whose condition holds (an <c>Export</c>'s <c>Name</c>), by output.</summary>
    public IReadOnlyDictionary<string, string> ExportNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, output) in _template["Outputs"] as JsonObject ?? [])
        {
            if (output?["Export"]?["Name"] is not { } exportName
                || (output["Condition"] is JsonValue condition && !Condition(condition.GetValue<string>())))
            {
                continue;
            }

            names[name] = Text(Evaluate(exportName));
        }

        return names;
    }

    /// <summary>What a reference to a resource that does not exist yet resolves to while a change set is computed.</summary>
    public static string Unknown(string resource, string attribute) => $"{{{{unknown:{resource}.{attribute}}}}}";

    /// <summary>The logical ids of the resources whose condition holds, in template order.</summary>
    public IReadOnlyList<string> ActiveResources() =>
        _resources.Where(r => r.Value?["Condition"] is not JsonValue condition || Condition(condition.GetValue<string>())).Select(r => r.Key).ToList();

    /// <summary>The resource's properties with every intrinsic function resolved (an empty object when it has none).</summary>
    public JsonObject ResolveProperties(string logicalId) =>
        _resources[logicalId]?["Properties"] is JsonObject properties ? Evaluate(properties)!.AsObject() : [];

    /// <summary>The outputs whose condition holds, each resolved to its text.</summary>
    public IReadOnlyDictionary<string, string> ResolveOutputs()
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, output) in _template["Outputs"] as JsonObject ?? [])
        {
            if (output?["Condition"] is JsonValue condition && !Condition(condition.GetValue<string>()))
            {
                continue;
            }

            var value = Evaluate(output!["Value"]!);
            outputs[name] = value is JsonArray list ? string.Join(",", list.Select(Text)) : Text(value);
        }

        return outputs;
    }

    /// <summary>Descriptions of the failed assertions of the template's Rules.</summary>
    public IReadOnlyList<string> RuleFailures() => CheckRules();

    /// <summary>
    /// The resources this one waits for, as CloudFormation derives them: every <c>Ref</c>, <c>Fn::GetAtt</c> and
    /// <c>Fn::Sub</c> variable naming a resource, in any branch, and <c>DependsOn</c>.
    /// </summary>
    public IReadOnlySet<string> DependenciesOf(string logicalId)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var resource = _resources[logicalId];
        foreach (var dependency in resource?["DependsOn"] switch
        {
            JsonArray list => list.Select(d => d!.GetValue<string>()),
            JsonValue single => [single.GetValue<string>()],
            _ => [],
        })
        {
            found.Add(dependency);
        }

        void Scan(JsonNode? node)
        {
            switch (node)
            {
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Scan(item);
                    }

                    break;
                case JsonObject { Count: 1 } function when function.First().Key == "Ref" && function.First().Value is JsonValue target:
                    found.Add(target.GetValue<string>());
                    break;
                case JsonObject { Count: 1 } function when function.First().Key == "Fn::GetAtt" && function.First().Value is JsonArray { Count: > 0 } getAtt:
                    found.Add(getAtt[0]!.GetValue<string>());
                    Scan(getAtt.Count > 1 ? getAtt[1] : null);
                    break;
                case JsonObject { Count: 1 } function when function.First().Key == "Fn::Sub":
                    var text = function.First().Value is JsonArray pair ? pair[0]!.GetValue<string>() : function.First().Value!.GetValue<string>();
                    var variables = function.First().Value is JsonArray withVariables ? withVariables[1]!.AsObject() : [];
                    foreach (Match match in SubVariable().Matches(text))
                    {
                        var inner = match.Groups[1].Value;
                        if (!inner.StartsWith('!') && !variables.ContainsKey(inner))
                        {
                            found.Add(inner.Split('.')[0]);
                        }
                    }

                    Scan(variables);
                    break;
                case JsonObject map:
                    foreach (var (_, item) in map)
                    {
                        Scan(item);
                    }

                    break;
            }
        }

        Scan(resource?["Properties"]);
        found.IntersectWith(_resources.Select(r => r.Key));
        found.Remove(logicalId);
        return found;
    }

    private JsonObject ResolveAll()
    {
        var resources = new JsonObject();
        foreach (var (name, resource) in _resources)
        {
            if (resource?["Condition"] is JsonValue condition && !Condition(condition.GetValue<string>()))
            {
                continue;
            }

            var resolved = new JsonObject { ["Type"] = resource!["Type"]!.GetValue<string>() };
            if (resource["Properties"] is JsonObject properties)
            {
                resolved["Properties"] = Evaluate(properties);
            }

            foreach (var dependency in resource["DependsOn"] switch
            {
                JsonArray list => list.Select(d => d!.GetValue<string>()),
                JsonValue single => [single.GetValue<string>()],
                _ => [],
            })
            {
                RequireResource(dependency);
            }

            resources[name] = resolved;
        }

        var outputs = new JsonObject();
        foreach (var (name, output) in _template["Outputs"] as JsonObject ?? [])
        {
            if (output?["Condition"] is JsonValue condition && !Condition(condition.GetValue<string>()))
            {
                continue;
            }

            outputs[name] = Evaluate(output!["Value"]!);
        }

        return new JsonObject { ["Resources"] = resources, ["Outputs"] = outputs };
    }

    private List<string> CheckRules()
    {
        var failures = new List<string>();
        foreach (var (_, rule) in _template["Rules"] as JsonObject ?? [])
        {
            if (rule?["RuleCondition"] is { } ruleCondition && !Truth(ruleCondition))
            {
                continue;
            }

            foreach (var assertion in rule!["Assertions"]!.AsArray())
            {
                if (!Truth(assertion!["Assert"]!))
                {
                    failures.Add(assertion["AssertDescription"]?.GetValue<string>() ?? "a rule failed");
                }
            }
        }

        return failures;
    }

    private bool Condition(string name)
    {
        if (_conditions.TryGetValue(name, out var known))
        {
            return known;
        }

        var definition = _template["Conditions"]?[name] ?? throw new InvalidOperationException($"Unknown condition {name}.");
        return _conditions[name] = Truth(definition);
    }

    private bool Truth(JsonNode node)
    {
        if (node is not JsonObject { Count: 1 } function)
        {
            throw new InvalidOperationException($"Not a condition: {node.ToJsonString()}");
        }

        var (name, argument) = function.First();
        var arguments = argument as JsonArray;
        return name switch
        {
            "Condition" => Condition(argument!.GetValue<string>()),
            "Fn::Equals" => Text(Evaluate(arguments![0]!)) == Text(Evaluate(arguments[1]!)),
            "Fn::Not" => !Truth(arguments![0]!),
            "Fn::And" => arguments!.All(a => Truth(a!)),
            "Fn::Or" => arguments!.Any(a => Truth(a!)),
            "Fn::EachMemberEquals" => Evaluate(arguments![0]!)!.AsArray().All(v => Text(v) == Text(Evaluate(arguments[1]!))),
            "Fn::Contains" => Evaluate(arguments![0]!)!.AsArray().Any(v => Text(v) == Text(Evaluate(arguments[1]!))),
            _ => throw new InvalidOperationException($"Unknown condition function {name}."),
        };
    }

    private JsonNode? Evaluate(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var list = new JsonArray();
                foreach (var item in array)
                {
                    var value = Evaluate(item);
                    if (!ReferenceEquals(value, NoValue))
                    {
                        list.Add(value);
                    }
                }

                return list;
            case JsonObject { Count: 1 } function when function.First().Key is "Ref" or "Condition" || function.First().Key.StartsWith("Fn::", StringComparison.Ordinal):
                return Intrinsic(function.First().Key, function.First().Value);
            case JsonObject map:
                var result = new JsonObject();
                foreach (var (key, item) in map)
                {
                    var value = Evaluate(item);
                    if (!ReferenceEquals(value, NoValue))
                    {
                        result[key] = value;
                    }
                }

                return result;
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? Intrinsic(string name, JsonNode? argument)
    {
        var arguments = argument as JsonArray;
        switch (name)
        {
            case "Ref":
                return Reference(argument!.GetValue<string>());
            case "Fn::GetAtt":
                var target = arguments![0]!.GetValue<string>();
                var attribute = Text(Evaluate(arguments[1]));
                RequireResource(target);
                return JsonValue.Create(ResourceValue(target, attribute));
            case "Fn::If":
                var chosen = Condition(arguments![0]!.GetValue<string>()) ? arguments[1] : arguments[2];
                return Evaluate(chosen);
            case "Fn::Join":
                var separator = arguments![0]!.GetValue<string>();
                var parts = Evaluate(arguments[1])!.AsArray();
                return JsonValue.Create(string.Join(separator, parts.Select(Text)));
            case "Fn::Select":
                var index = int.Parse(Text(Evaluate(arguments![0])), CultureInfo.InvariantCulture);
                return Evaluate(arguments[1])!.AsArray()[index]!.DeepClone();
            case "Fn::Split":
                var delimiter = arguments![0]!.GetValue<string>();
                return new JsonArray(Text(Evaluate(arguments[1])).Split(delimiter).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            case "Fn::Sub":
                return JsonValue.Create(Substitute(argument!));
            case "Fn::ImportValue":
                var exportName = Text(Evaluate(argument));
                _imported.Add(exportName);
                return JsonValue.Create(_importValue is null ? "E2QWRUHAPOMQZL" : _importValue(exportName) ?? throw new MissingExportException(exportName));
            default:
                throw new InvalidOperationException($"Unknown intrinsic function {name}.");
        }
    }

    private string Substitute(JsonNode argument)
    {
        string text;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (argument is JsonArray pair)
        {
            text = pair[0]!.GetValue<string>();
            foreach (var (key, value) in pair[1]!.AsObject())
            {
                variables[key] = Text(Evaluate(value));
            }
        }
        else
        {
            text = argument.GetValue<string>();
        }

        return SubVariable().Replace(text, match =>
        {
            var inner = match.Groups[1].Value;
            if (inner.StartsWith('!'))
            {
                return "${" + inner[1..] + "}";
            }

            if (variables.TryGetValue(inner, out var variable))
            {
                return variable;
            }

            var dot = inner.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && !inner.StartsWith("AWS::", StringComparison.Ordinal))
            {
                RequireResource(inner[..dot]);
                return ResourceValue(inner[..dot], inner[(dot + 1)..]);
            }

            return Text(Reference(inner));
        });
    }

    private JsonNode Reference(string name)
    {
        switch (name)
        {
            case "AWS::NoValue":
                return NoValue;
            case "AWS::Region":
                return JsonValue.Create(_region);
            case "AWS::AccountId":
                return JsonValue.Create(StackAccount);
            case "AWS::Partition":
                return JsonValue.Create("aws");
            case "AWS::URLSuffix":
                return JsonValue.Create("amazonaws.com");
            case "AWS::StackId":
                return JsonValue.Create(_stackId);
            case "AWS::StackName":
                return JsonValue.Create(_stackName);
        }

        if (_parameters.TryGetValue(name, out var parameter))
        {
            return parameter.DeepClone();
        }

        RequireResource(name);
        return JsonValue.Create(ResourceValue(name, "Ref"));
    }

    private string ResourceValue(string resource, string attribute) =>
        _resourceValue is null ? Placeholder(resource, attribute) : _resourceValue(resource, attribute) ?? Unknown(resource, attribute);

    private void RequireResource(string name)
    {
        if (!_resources.ContainsKey(name))
        {
            throw new UnresolvedReferenceException(name);
        }
    }

    // Plausible values of the right shape, so patterns in the schemas that check them still hold.
    private static string Placeholder(string resource, string attribute) => attribute switch
    {
        "Arn" => $"arn:aws:s3:::placeholder-{resource.ToLowerInvariant()}",
        "DomainName" => "d111111abcdef8.cloudfront.net",
        "RegionalDomainName" => $"placeholder-{resource.ToLowerInvariant()}.s3.us-east-1.amazonaws.com",
        "FunctionARN" => $"arn:aws:cloudfront::{AccountId}:function/placeholder-{resource.ToLowerInvariant()}",
        "Id" => "E2QWRUHAPOMQZL",
        _ => $"placeholder-{resource.ToLowerInvariant()}",
    };

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        _ => throw new InvalidOperationException($"Expected a string, got {node?.ToJsonString() ?? "null"}."),
    };

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex SubVariable();
}

/// <summary>A template imports an export no stack of the region has.</summary>
public sealed class MissingExportException(string name) : InvalidOperationException($"No export named {name} found")
{
    public string Name { get; } = name;
}

/// <summary>A template names something that is neither a parameter nor a resource.</summary>
public sealed class UnresolvedReferenceException(string name)
    : InvalidOperationException($"Reference to {name}, which is neither a parameter nor a resource.")
{
    public string Name { get; } = name;
}
