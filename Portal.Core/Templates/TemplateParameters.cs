using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portal.Core.Templates;

/// <summary>
/// Fills a template's parameters in the template's own order and checks each value against the template's
/// constraints (AllowedPattern, AllowedValues, MinLength, MaxLength, MinValue, MaxValue) exactly as
/// CloudFormation would, so a value CloudFormation would refuse is caught before any deployment starts.
/// </summary>
public static class TemplateParameters
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    /// <summary>One parameter whose value breaks the template's constraints.</summary>
    public sealed record Violation(string Parameter, string Message);

    /// <summary>
    /// The parameters in template order. Every template parameter needs a value here or a default there; a value
    /// for a parameter the template lacks is a defect of the renderer.
    /// </summary>
    public static IReadOnlyList<StackParameter> Fill(JsonObject template, IReadOnlyDictionary<string, string> values, out IReadOnlyList<Violation> violations)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var declared = template["Parameters"] as JsonObject ?? [];
        foreach (var key in values.Keys.Where(k => !declared.ContainsKey(k)))
        {
            throw new TemplateFormatException($"The template declares no parameter '{key}'.");
        }

        var result = new List<StackParameter>();
        var problems = new List<Violation>();
        foreach (var (name, definition) in declared)
        {
            string value;
            if (values.TryGetValue(name, out var given))
            {
                value = given;
            }
            else if (definition?["Default"] is JsonValue fallback)
            {
                value = fallback.ToString();
            }
            else
            {
                throw new TemplateFormatException($"No value for parameter '{name}', which has no default.");
            }

            var problem = Check(definition as JsonObject ?? [], value);
            if (problem is not null)
            {
                problems.Add(new(name, problem));
            }

            result.Add(new(name, value));
        }

        violations = problems;
        return result;
    }

    /// <summary>Null when <paramref name="value"/> satisfies the parameter's constraints, else why not.</summary>
    public static string? Check(JsonObject definition, string value)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(value);
        var type = definition["Type"]?.GetValue<string>() ?? "String";
        var elements = type == "CommaDelimitedList" ? value.Split(',') : [value];
        foreach (var element in elements)
        {
            var problem = CheckOne(definition, type, element);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static decimal Number(JsonValue value) =>
        decimal.Parse(value.ToJsonString().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string? CheckOne(JsonObject definition, string type, string value)
    {
        if (definition["AllowedValues"] is JsonArray allowed && !allowed.Any(a => a?.ToString() == value))
        {
            return $"'{value}' is not one of {string.Join(", ", allowed.Select(a => a?.ToString()))}.";
        }

        if (type == "Number")
        {
            if (!decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return $"'{value}' is not a number.";
            }

            if (definition["MinValue"] is JsonValue min && number < Number(min))
            {
                return $"{value} is below the minimum {min}.";
            }

            if (definition["MaxValue"] is JsonValue max && number > Number(max))
            {
                return $"{value} is above the maximum {max}.";
            }

            return null;
        }

        if (definition["MinLength"] is JsonValue minLength && value.Length < minLength.GetValue<long>())
        {
            return $"is shorter than {minLength} characters.";
        }

        if (definition["MaxLength"] is JsonValue maxLength && value.Length > maxLength.GetValue<long>())
        {
            return $"is longer than {maxLength} characters.";
        }

        if (definition["AllowedPattern"] is JsonValue pattern)
        {
            // CloudFormation matches the whole value, as Java's String.matches does.
            if (!Regex.IsMatch(value, @"\A(?:" + pattern.GetValue<string>() + @")\z", RegexOptions.CultureInvariant, PatternTimeout))
            {
                return definition["ConstraintDescription"] is JsonValue description
                    ? $"must be {description}"
                    : $"does not match {pattern}.";
            }
        }

        return null;
    }
}
