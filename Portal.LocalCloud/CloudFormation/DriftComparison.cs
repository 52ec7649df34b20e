using System.Text.Json.Nodes;

namespace Portal.LocalCloud.CloudFormation;

/// <summary>
/// One property whose actual value differs from the template's, as CloudFormation's <c>PropertyDifference</c>
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_PropertyDifference.html): the property's
/// path, both values as JSON text (<c>null</c> where there is none) and ADD, REMOVE or NOT_EQUAL.
/// </summary>
public sealed record PropertyDifference(string Path, string Expected, string Actual, string Type);

/// <summary>
/// Compares a resource's template properties with its current configuration as drift detection does: only what the
/// template sets is checked (a property the service added with a default is no drift); a property that is gone is
/// REMOVE, a value added to a list is ADD, any other difference NOT_EQUAL. Values equal as text (300 and "300") are equal,
/// since the template's YAML and the service may type a scalar differently.
/// </summary>
public static class DriftComparison
{
    public static List<PropertyDifference> Differences(JsonObject expected, JsonObject actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var result = new List<PropertyDifference>();
        Compare("", expected, actual, result);
        return result;
    }

    private static void Compare(string path, JsonNode? expected, JsonNode? actual, List<PropertyDifference> result)
    {
        switch (expected)
        {
            case JsonObject e when actual is JsonObject a:
                foreach (var (key, value) in e)
                {
                    var at = path + "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                    if (a.TryGetPropertyValue(key, out var found) && found is not null)
                    {
                        Compare(at, value, found, result);
                    }
                    else if (value is not null)
                    {
                        result.Add(new PropertyDifference(at, Text(value), "null", "REMOVE"));
                    }
                }

                break;
            case JsonArray e when actual is JsonArray a:
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    var at = path + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (i >= a.Count)
                    {
                        result.Add(new PropertyDifference(at, Text(e[i]), "null", "REMOVE"));
                    }
                    else if (i >= e.Count)
                    {
                        result.Add(new PropertyDifference(at, "null", Text(a[i]), "ADD"));
                    }
                    else
                    {
                        Compare(at, e[i], a[i], result);
                    }
                }

                break;
            default:
                if (!Same(expected, actual))
                {
                    result.Add(new PropertyDifference(path.Length == 0 ? "/" : path, Text(expected), Text(actual), "NOT_EQUAL"));
                }

                break;
        }
    }

    private static bool Same(JsonNode? expected, JsonNode? actual) =>
        JsonNode.DeepEquals(expected, actual)
        || (expected is JsonValue && actual is JsonValue && string.Equals(expected.ToString(), actual.ToString(), StringComparison.Ordinal));

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "null";
}
