namespace Portal.Core.Templates;

/// <summary>The kinds of stack the portal deploys; each has one template in <c>templates/</c>.</summary>
public enum StackKind
{
    Shared,
    Site,
    Redirect,
    MtaSts,

    /// <summary>A response headers policy and an origin access control that distributions with the same header set share.</summary>
    Headers,
}

/// <summary>
/// The name of each stack kind wherever the portal writes it as text: the <c>portal:stack-kind</c> tag on a stack, the
/// <c>Kind</c> column of stored stacks and stack operations, and the API (<c>shared</c>, <c>site</c>, <c>redirect</c>,
/// <c>mta-sts</c>).
/// </summary>
public static class StackKindNames
{
    public static string Of(StackKind kind) => kind switch
    {
        StackKind.Shared => "shared",
        StackKind.Site => "site",
        StackKind.Redirect => "redirect",
        StackKind.MtaSts => "mta-sts",
        StackKind.Headers => "headers",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static StackKind Parse(string name) => name switch
    {
        "shared" => StackKind.Shared,
        "site" => StackKind.Site,
        "redirect" => StackKind.Redirect,
        "mta-sts" => StackKind.MtaSts,
        "headers" => StackKind.Headers,
        _ => throw new FormatException($"'{name}' is not a stack kind."),
    };
}
