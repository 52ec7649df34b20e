using System.Globalization;

namespace Portal.Core.Text;

/// <summary>
/// The rule for text a person or a script types: a length limit per field, and none of the characters that are never
/// text (control characters, unpaired surrogates, line or paragraph separators, bidirectional overrides that make text
/// read differently from what it stores). Reasons and similar notes may span lines; everything else is one line.
/// The limits live here so the validators, the API and the forms' counters show the same numbers.
/// </summary>
public static class FreeText
{
    /// <summary>A reason given for an action (reject, withdraw, promote...): a paragraph or two, not a document.</summary>
    public const int MaxReasonLength = 2000;

    /// <summary>A search box or filter: longer text cannot match any name the portal stores.</summary>
    public const int MaxSearchLength = 200;

    /// <summary>Any one string in a JSON body, before field rules: far above every field's own limit.</summary>
    public const int MaxJsonStringLength = 8192;

    /// <summary>Null when <paramref name="value"/> is acceptable; otherwise a message that starts with <paramref name="label"/>.</summary>
    public static string? Problem(string? value, string label, int maxLength, bool multiline = false)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return $"{label} is {value.Length.ToString(CultureInfo.InvariantCulture)} characters long; at most {maxLength.ToString(CultureInfo.InvariantCulture)}.";
        }

        var bad = FirstForbidden(value, multiline);
        return bad < 0 ? null : $"{label} must not contain {Describe(value, bad)} (at position {(bad + 1).ToString(CultureInfo.InvariantCulture)}).";
    }

    /// <summary>The index of the first character that is never acceptable in typed text, or -1.</summary>
    public static int FirstForbidden(string value, bool multiline)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }

            if (char.IsLowSurrogate(c))
            {
                return i;
            }

            if (multiline && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFFFE' or '\uFFFF' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069')
            {
                return i;
            }
        }

        return -1;
    }

    private static string Describe(string value, int index)
    {
        var c = value[index];
        var code = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        return char.IsSurrogate(c) ? $"an unpaired surrogate ({code})"
            : c is '\n' or '\r' ? $"a line break ({code})"
            : c is '\u2028' or '\u2029' ? $"a line or paragraph separator ({code})"
            : c is '\uFFFE' or '\uFFFF' ? $"a non-character ({code})"
            : char.IsControl(c) ? $"a control character ({code})"
            : $"a bidirectional formatting character ({code})";
    }
}
