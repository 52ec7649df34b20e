using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Portal.Components.Requests;

/// <summary>Renders JSON text with spans for keys, strings, numbers and literals; the text itself is always encoded.</summary>
public static partial class JsonHighlight
{
    public static RenderFragment Render(string json) => builder =>
    {
        var last = 0;
        foreach (Match match in Token().Matches(json))
        {
            if (match.Index > last)
            {
                builder.AddContent(0, json[last..match.Index]);
            }

            var css = match.Groups["key"].Success ? "json-key"
                : match.Groups["string"].Success ? "json-string"
                : match.Groups["number"].Success ? "json-number"
                : "json-literal";
            builder.OpenElement(1, "span");
            builder.AddAttribute(2, "class", css);
            builder.AddContent(3, match.Value);
            builder.CloseElement();
            last = match.Index + match.Length;
        }

        if (last < json.Length)
        {
            builder.AddContent(4, json[last..]);
        }
    };

    [GeneratedRegex("""(?<key>"(?:[^"\\]|\\.)*"(?=\s*:))|(?<string>"(?:[^"\\]|\\.)*")|(?<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?<literal>\btrue\b|\bfalse\b|\bnull\b)""")]
    private static partial Regex Token();
}
