using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Core.Requests;

/// <summary>One JSON shape for request specs everywhere: camelCase, kebab-case enum values, the <c>kind</c> discriminator.</summary>
public static class RequestSpecJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            AllowOutOfOrderMetadataProperties = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize(RequestSpec spec) => JsonSerializer.Serialize(spec, Options);

    /// <summary>Reads a spec, turning every JSON problem into a message that names the field.</summary>
    public static SpecParseResult Parse(string json)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<RequestSpec>(json, Options);
            return spec is null
                ? SpecParseResult.Failure("$", "The request is empty.")
                : SpecParseResult.Success(spec);
        }
        catch (JsonException ex)
        {
            var message = Describe(ex);
            var field = message == KindMessage ? "kind" : FieldName(ex.Path);
            return SpecParseResult.Failure(field, message);
        }
        catch (NotSupportedException ex)
        {
            return SpecParseResult.Failure("kind", DescribeKind(ex.Message));
        }
    }

    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("type discriminator", StringComparison.OrdinalIgnoreCase)
            || message.Contains("'kind'", StringComparison.Ordinal))
        {
            return DescribeKind(message);
        }

        if (message.Contains("could not be mapped", StringComparison.OrdinalIgnoreCase))
        {
            return "Unknown field.";
        }

        // System.Text.Json messages carry a path and position the caller already reports separately.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private const string KindMessage = "The field 'kind' is required and must be \"site\" or \"mta-sts\".";

    private static string DescribeKind(string _) => KindMessage;

    /// <summary>Field names as the validator and the forms use them: <c>mx[1]</c>, not <c>$.mx[1]</c>.</summary>
    private static string FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}

public sealed record SpecParseResult(RequestSpec? Spec, string? Field, string? Error)
{
    public bool IsSuccess => Spec is not null;

    public static SpecParseResult Success(RequestSpec spec) => new(spec, null, null);

    public static SpecParseResult Failure(string field, string error) => new(null, field, error);
}
