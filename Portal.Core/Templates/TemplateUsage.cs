using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Core.Templates;

/// <summary>
/// Which parameters and conditions a template uses: a condition is used when a resource or output names it (its
/// <c>Condition</c>, an <c>Fn::If</c>) or a used condition does; a parameter when a resource, output, rule or used
/// condition refers to it (<c>Ref</c>, an <c>Fn::Sub</c> variable). The portal removes the rest from what it renders:
/// a value it writes into a function's code leaves the parameters and conditions that only fed that code unused, and
/// CloudFormation's linter warns on unused ones.
/// </summary>
public static partial class TemplateUsage
{
    public sealed record Unused(IReadOnlyList<string> Parameters, IReadOnlyList<string> Conditions);

    public static Unused Find(JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var conditions = template["Conditions"] as JsonObject ?? [];
        var usedConditions = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        foreach (var section in new[] { "Resources", "Outputs" })
        {
            foreach (var name in ConditionNames(template[section]))
            {
                pending.Push(name);
            }
        }

        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (usedConditions.Add(name) && conditions[name] is { } definition)
            {
                foreach (var inner in ConditionNames(definition))
                {
                    pending.Push(inner);
                }
            }
        }

        var references = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "Resources", "Outputs", "Rules" })
        {
            References(template[section], references);
        }

        foreach (var name in usedConditions)
        {
            References(conditions[name], references);
        }

        var parameters = (template["Parameters"] as JsonObject ?? []).Select(p => p.Key).Where(p => !references.Contains(p)).ToList();
        return new Unused(parameters, conditions.Select(c => c.Key).Where(c => !usedConditions.Contains(c)).ToList());
    }

    /// <summary>Removes the unused parameters and conditions (and the parameters from the console's groups); returns the parameters removed.</summary>
    public static IReadOnlyList<string> RemoveUnused(JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var unused = Find(template);
        foreach (var condition in unused.Conditions)
        {
            template["Conditions"]!.AsObject().Remove(condition);
        }

        if (template["Conditions"] is JsonObject { Count: 0 })
        {
            template.Remove("Conditions");
        }

        foreach (var parameter in unused.Parameters)
        {
            template["Parameters"]!.AsObject().Remove(parameter);
        }

        foreach (var group in template["Metadata"]?["AWS::CloudFormation::Interface"]?["ParameterGroups"] as JsonArray ?? [])
        {
            if (group?["Parameters"] is JsonArray names)
            {
                foreach (var name in names.Where(n => unused.Parameters.Contains(n?.GetValue<string>())).ToList())
                {
                    names.Remove(name);
                }
            }
        }

        return unused.Parameters;
    }

    private static IEnumerable<string> ConditionNames(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var name in array.SelectMany(ConditionNames))
                {
                    yield return name;
                }

                break;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    if (key == "Condition" && value is JsonValue text && text.TryGetValue<string>(out var name))
                    {
                        yield return name;
                    }
                    else if (key == "Fn::If" && value is JsonArray { Count: 3 } branches && branches[0] is JsonValue first && first.TryGetValue<string>(out var chosen))
                    {
                        yield return chosen;
                        foreach (var inner in ConditionNames(branches[1]).Concat(ConditionNames(branches[2])))
                        {
                            yield return inner;
                        }
                    }
                    else
                    {
                        foreach (var inner in ConditionNames(value))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
        }
    }

    private static void References(JsonNode? node, HashSet<string> found)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    References(item, found);
                }

                break;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    if (key == "Ref" && value is JsonValue target && target.TryGetValue<string>(out var name))
                    {
                        found.Add(name);
                    }
                    else if (key == "Fn::Sub")
                    {
                        var text = value is JsonArray pair ? pair[0]?.GetValue<string>() : value?.GetValue<string>();
                        var local = value is JsonArray { Count: 2 } withMap && withMap[1] is JsonObject variables ? variables : [];
                        foreach (Match match in SubVariable().Matches(text ?? ""))
                        {
                            var variable = match.Groups[1].Value;
                            if (!variable.StartsWith('!') && !local.ContainsKey(variable))
                            {
                                found.Add(variable.Split('.')[0]);
                            }
                        }

                        References(local, found);
                    }
                    else
                    {
                        References(value, found);
                    }
                }

                break;
        }
    }

    [GeneratedRegex(@"\$\{([^}]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex SubVariable();
}
