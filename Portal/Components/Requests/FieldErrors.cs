using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Components.Requests;

/// <summary>Validation messages grouped by the input that shows them; list items ("mx[2]") go to their list's input, by line.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _byInput = new(StringComparer.Ordinal);

    public FieldErrors(IEnumerable<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var error in errors)
        {
            var bracket = error.Field.IndexOf('[', StringComparison.Ordinal);
            var input = bracket > 0 ? error.Field[..bracket] : error.Field;
            var message = bracket > 0 && int.TryParse(error.Field[(bracket + 1)..error.Field.IndexOf(']', StringComparison.Ordinal)], out var index)
                ? $"Line {index + 1}: {error.Message}"
                : error.Message;
            if (!_byInput.TryGetValue(input, out var list))
            {
                _byInput[input] = list = [];
            }

            list.Add(message);
        }
    }

    public static FieldErrors None { get; } = new([]);

    public bool Any => _byInput.Count > 0;

    public bool Has(string input) => _byInput.ContainsKey(input);

    public string? For(string input) => _byInput.TryGetValue(input, out var list) ? string.Join(" ", list) : null;

    /// <summary>Messages for fields the form has no input for, so nothing is silently lost.</summary>
    public IEnumerable<string> Except(IEnumerable<string> inputs)
    {
        var shown = inputs.ToHashSet(StringComparer.Ordinal);
        return _byInput.Where(kv => !shown.Contains(kv.Key)).SelectMany(kv => kv.Value);
    }

    /// <summary>One item per non-empty line, trimmed: how the multi-line inputs hold lists.</summary>
    public static IReadOnlyList<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
