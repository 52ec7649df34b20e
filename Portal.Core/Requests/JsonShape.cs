using System.Text.Json;
using Portal.Core.Text;

namespace Portal.Core.Requests;

/// <summary>
/// Checks a JSON body before any model reads it, naming each problem by its path (<c>cacheRules[0]</c>): not JSON or
/// nested too deep, a key given twice, a null inside a list, a string that breaks the free-text rule (an unpaired
/// surrogate such as <c>"\ud800"</c>, a control character) or is longer than any field allows. What passes can be
/// read by the serializer without throwing anything but a <see cref="JsonException"/> that names the field.
/// </summary>
public static class JsonShape
{
    public const string NullMessage = "Must not be null.";
    public const string DuplicateMessage = "Is given more than once.";

    /// <summary>Enough to explain a bad body; a hostile one can have thousands of problems.</summary>
    private const int MaxErrors = 20;

    public static IReadOnlyList<FieldError> Check(string json, int maxDepth, int maxStringLength = FreeText.MaxJsonStringLength, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException ex)
        {
            return [new("$", "The body is not valid JSON: " + ex.Message)];
        }

        using (document)
        {
            var errors = new List<FieldError>();
            Walk(document.RootElement, "$", new Limits(maxStringLength, multiline), errors);
            return errors;
        }
    }

    /// <summary>A string's value, or the problem that keeps it from being text (for bodies read without a model).</summary>
    public static (string? Value, string? Problem) ReadString(JsonElement element, int maxLength, string label, bool multiline)
    {
        string? value;
        try
        {
            value = element.GetString();
        }
        catch (InvalidOperationException)
        {
            return (null, $"{label} must not contain an unpaired surrogate (a lone \\uD800-\\uDFFF escape).");
        }

        var problem = FreeText.Problem(value, label, maxLength, multiline);
        return problem is null ? (value, null) : (null, problem);
    }

    private readonly record struct Limits(int MaxStringLength, bool Multiline);

    private static void Walk(JsonElement element, string path, Limits limits, List<FieldError> errors)
    {
        if (errors.Count >= MaxErrors)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(new(path, "Has a field name that is not text (an unpaired surrogate)."));
                        continue;
                    }

                    var child = Child(path, name);
                    if (!seen.Add(name))
                    {
                        errors.Add(new(child, DuplicateMessage));
                        continue;
                    }

                    Walk(property.Value, child, limits, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    var child = $"{path}[{index++}]";
                    if (item.ValueKind == JsonValueKind.Null)
                    {
                        errors.Add(new(Field(child), NullMessage));
                        continue;
                    }

                    Walk(item, child, limits, errors);
                }

                break;
            case JsonValueKind.String:
                // Any string: enum names and numbers-as-text too, which the serializer would otherwise trim and accept.
                var (_, problem) = ReadString(element, limits.MaxStringLength, "This value", limits.Multiline);
                if (problem is not null)
                {
                    errors.Add(new(Field(path), problem));
                }

                break;
        }
    }

    private static string Child(string path, string name) => path == "$" ? name : $"{path}.{name}";

    private static string Field(string path) => path.StartsWith("$[", StringComparison.Ordinal) ? path : path.TrimStart('$').TrimStart('.') is { Length: > 0 } f ? f : "$";
}
