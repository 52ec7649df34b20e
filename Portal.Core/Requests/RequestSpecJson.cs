using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Text;

namespace Portal.Core.Requests;

/// <summary>One JSON shape for request specs everywhere: camelCase, kebab-case enum values, the <c>kind</c> discriminator.</summary>
public static class RequestSpecJson
{
    /// <summary>No request spec nests deeper than a few levels; deeper input is refused before it is read.</summary>
    public const int MaxDepth = 16;

    public static JsonSerializerOptions Options { get; } = CreateOptions(strict: false);

    /// <summary>
    /// Reading what someone sent: null where the model has no null, a missing constructor argument or a repeated key
    /// is an error naming the field, never a half-built spec that fails later.
    /// </summary>
    private static JsonSerializerOptions InputOptions { get; } = CreateOptions(strict: true);

    private static JsonSerializerOptions CreateOptions(bool strict)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            AllowOutOfOrderMetadataProperties = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            WriteIndented = false,
            MaxDepth = MaxDepth,
            RespectNullableAnnotations = strict,
            RespectRequiredConstructorParameters = strict,
            AllowDuplicateProperties = !strict,

            // The web defaults read "12" as 12; a script that sends a string for a number has the wrong type.
            NumberHandling = strict ? JsonNumberHandling.Strict : JsonNumberHandling.AllowReadingFromString,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize(RequestSpec spec) => JsonSerializer.Serialize(spec, Options);

    /// <summary>Reads a spec, turning every JSON problem into a message that names the field.</summary>
    public static SpecParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var shape = JsonShape.Check(json, MaxDepth);
        if (shape.Count > 0)
        {
            return SpecParseResult.Failure(shape);
        }

        try
        {
            var spec = JsonSerializer.Deserialize<RequestSpec>(json, InputOptions);
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
        catch (InvalidOperationException)
        {
            // The shape check refuses what the reader cannot turn into text; this is the guard behind it.
            return SpecParseResult.Failure("$", "The request cannot be read as text.");
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

        if (message.Contains("allow setting null values", StringComparison.Ordinal) || message.Contains("allow null values", StringComparison.Ordinal))
        {
            return JsonShape.NullMessage;
        }

        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return "Is missing a required field.";
        }

        if (message.Contains("Duplicate property", StringComparison.Ordinal))
        {
            return JsonShape.DuplicateMessage;
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

    /// <summary>Every problem found; <see cref="Field"/> and <see cref="Error"/> are the first.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    public static SpecParseResult Success(RequestSpec spec) => new(spec, null, null);

    public static SpecParseResult Failure(string field, string error) => new(null, field, error) { Errors = [new(field, error)] };

    public static SpecParseResult Failure(IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(null, errors[0].Field, errors[0].Message) { Errors = errors };
    }
}
