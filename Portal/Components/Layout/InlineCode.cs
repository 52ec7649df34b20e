using Microsoft.AspNetCore.Components;

namespace Portal.Components.Layout;

/// <summary>
/// Shows a message whose settings and commands stand in backticks (as in the logs and the README) with those parts as
/// <c>&lt;code&gt;</c>, the rest as text; an unpaired backtick stays as it is. Everything is encoded.
/// </summary>
public static class InlineCode
{
    public static RenderFragment Render(string text) => builder =>
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('`');
        var paired = parts.Length % 2 == 1;
        for (var i = 0; i < parts.Length; i++)
        {
            if (i % 2 == 1 && paired)
            {
                builder.OpenElement(0, "code");
                builder.AddContent(1, parts[i]);
                builder.CloseElement();
            }
            else
            {
                builder.AddContent(2, i > 0 && !paired ? "`" + parts[i] : parts[i]);
            }
        }
    };
}
