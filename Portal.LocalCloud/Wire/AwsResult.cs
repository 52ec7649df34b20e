namespace Portal.LocalCloud.Wire;

/// <summary>What a fake service answers: an output tree shaped like the model's output, or an AWS error.</summary>
public sealed record AwsResult(Dictionary<string, object?>? Output, AwsError? Error)
{
    public static AwsResult Ok(Dictionary<string, object?>? output = null) => new(output ?? [], null);

    public static AwsResult Fail(int status, string code, string message) => new(null, new AwsError(status, code, message));

    public static AwsResult Validation(string message) => Fail(400, "ValidationError", message);
}

public sealed record AwsError(int Status, string Code, string Message);

/// <summary>Shorthand for building output trees.</summary>
public static class Tree
{
    public static Dictionary<string, object?> Of(params (string Key, object? Value)[] members)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in members)
        {
            if (value is not null)
            {
                d[key] = value;
            }
        }

        return d;
    }

    public static string? Str(this Dictionary<string, object?> tree, string key) => tree.TryGetValue(key, out var v) ? v as string : null;

    public static List<object?> List(this Dictionary<string, object?> tree, string key) => tree.TryGetValue(key, out var v) && v is List<object?> l ? l : [];
}
