using System.Globalization;
using System.Text;

namespace Portal.Core.Text;

/// <summary>
/// Puts text a person typed into an error message without letting it break the message: control and
/// non-ASCII characters become <c>\uXXXX</c> escapes and long values are shortened.
/// </summary>
internal static class UserText
{
    private const int MaxShown = 60;

    public static string Quote(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, MaxShown) + 8);
        builder.Append('\'');
        var shown = 0;
        foreach (var c in value)
        {
            if (shown == MaxShown)
            {
                builder.Append('…');
                break;
            }

            if (c < 0x20 || c > 0x7E)
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }

            shown++;
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>Names a character for a message, e.g. <c>U+000A (line feed)</c>.</summary>
    public static string Describe(char c)
    {
        var code = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        return c switch
        {
            '\n' => code + " (line feed)",
            '\r' => code + " (carriage return)",
            '\t' => code + " (tab)",
            '\0' => code + " (NUL)",
            _ when c < 0x20 || c == 0x7F => code + " (control character)",
            _ when c > 0x7E => $"'{c}' ({code})",
            _ => $"'{c}'",
        };
    }
}
