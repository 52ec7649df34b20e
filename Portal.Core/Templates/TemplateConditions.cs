using System.Text.Json.Nodes;

namespace Portal.Core.Templates;

/// <summary>
/// A template's <c>Conditions</c> evaluated with its parameters, as CloudFormation decides which conditional resources
/// exist: <c>Fn::Equals</c>, <c>Fn::Not</c>, <c>Fn::And</c>, <c>Fn::Or</c> and <c>Condition</c> over parameter values
/// (given, else the default). What depends on anything else (a pseudo parameter, a parameter with no value) is unknown.
/// </summary>
public static class TemplateConditions
{
    /// <returns>true or false per condition, or null where it cannot be decided from the parameters.</returns>
    public static IReadOnlyDictionary<string, bool?> Evaluate(JsonObject template, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(parameters);
        var results = new Dictionary<string, bool?>(StringComparer.Ordinal);
        var declared = template["Conditions"] as JsonObject ?? [];
        foreach (var (name, _) in declared)
        {
            results[name] = Condition(name, []);
        }

        return results;

        bool? Condition(string name, HashSet<string> visiting)
        {
            if (results.TryGetValue(name, out var known))
            {
                return known;
            }

            if (!visiting.Add(name) || declared[name] is not JsonNode definition)
            {
                return null;
            }

            var value = Truth(definition, visiting);
            visiting.Remove(name);
            return value;
        }

        bool? Truth(JsonNode node, HashSet<string> visiting)
        {
            if (node is not JsonObject { Count: 1 } function)
            {
                return null;
            }

            var (name, argument) = function.First();
            var args = argument as JsonArray;
            switch (name)
            {
                case "Condition" when argument is JsonValue v && v.TryGetValue<string>(out var other):
                    return Condition(other, visiting);
                case "Fn::Equals" when args is { Count: 2 }:
                    var (a, b) = (Value(args[0]), Value(args[1]));
                    return a is null || b is null ? null : a == b;
                case "Fn::Not" when args is { Count: 1 }:
                    return !Truth(args[0]!, visiting);
                case "Fn::And" when args is not null:
                    var all = args.Select(x => Truth(x!, visiting)).ToList();
                    return all.Contains(false) ? false : all.Contains(null) ? null : true;
                case "Fn::Or" when args is not null:
                    var any = args.Select(x => Truth(x!, visiting)).ToList();
                    return any.Contains(true) ? true : any.Contains(null) ? null : false;
                default:
                    return null;
            }
        }

        string? Value(JsonNode? node)
        {
            if (node is JsonValue literal && literal.TryGetValue<string>(out var text))
            {
                return text;
            }

            if (node is JsonObject { Count: 1 } reference && reference["Ref"] is JsonValue r && r.TryGetValue<string>(out var parameter))
            {
                return parameters.TryGetValue(parameter, out var given) ? given : (template["Parameters"]?[parameter]?["Default"] as JsonValue)?.ToString();
            }

            return null;
        }
    }

    /// <summary>Whether a resource (or output) exists with these parameters: false only when its condition is decidably false.</summary>
    public static bool MayExist(JsonNode? entry, IReadOnlyDictionary<string, bool?> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        return entry?["Condition"] is not JsonValue condition || !condition.TryGetValue<string>(out var name)
            || !conditions.TryGetValue(name, out var holds) || holds != false;
    }
}
