using System.Text;

namespace Portal.Core.Headers;

/// <summary>One CSP directive: its name (lower case) and its values in order.</summary>
public sealed record CspDirective
{
    public CspDirective(string name, IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(sources);
        Name = name;
        Sources = [.. sources];
    }

    public string Name { get; init; }

    /// <summary>Source expressions (or, for <c>sandbox</c>, <c>report-to</c> and the like, the directive's tokens).</summary>
    public IReadOnlyList<string> Sources
    {
        get;
        init => field = [.. value ?? throw new ArgumentNullException(nameof(value))];
    }

    public bool Equals(CspDirective? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Sources.SequenceEqual(other.Sources, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name, StringComparer.Ordinal);
        foreach (var source in Sources)
        {
            hash.Add(source, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Sources = [").Append(string.Join(" ", Sources)).Append(']');
        return true;
    }
}

/// <summary>The outcome of reading or building a CSP: the policy, or the reasons it was refused.</summary>
public sealed record CspParseResult(ContentSecurityPolicy? Policy, IReadOnlyList<string> Errors)
{
    public bool IsValid => Policy is not null;
}

/// <summary>
/// A Content-Security-Policy header value as a structured, validated value: ordered directives, each with its
/// sources. Everything a person types goes through <see cref="Parse"/> or <see cref="Create"/>, which accept only the
/// CSP Level 3 grammar (printable ASCII, no commas, no double quotes, no backslashes, no braces or angle brackets,
/// single quotes only around keywords, nonces and hashes), so <see cref="ToHeaderValue"/> can never produce a line
/// break, a second header or policy, or a character that could end a double-quoted JSON or YAML string.
/// </summary>
public sealed record ContentSecurityPolicy
{
    /// <summary>The longest header value accepted, in characters.</summary>
    public const int MaxLength = 4096;

    public ContentSecurityPolicy(IEnumerable<CspDirective> directives)
    {
        ArgumentNullException.ThrowIfNull(directives);
        Directives = [.. directives];
    }

    public IReadOnlyList<CspDirective> Directives
    {
        get;
        init => field = [.. value ?? throw new ArgumentNullException(nameof(value))];
    }

    /// <summary>The directive called <paramref name="name"/> (case-insensitive), or null.</summary>
    public CspDirective? Find(string name) =>
        Directives.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads a header value such as <c>default-src 'self'; img-src 'self' data:</c>. Refuses, with a message per
    /// problem, anything outside CSP Level 3: unknown or repeated directives, malformed sources, control characters
    /// and line breaks, commas, double quotes, backslashes, non-ASCII text, and values over <see cref="MaxLength"/>
    /// characters. Never throws.
    /// </summary>
    public static CspParseResult Parse(string? text) => CspSyntax.Parse(text);

    /// <summary>Checks directives built in code the same way <see cref="Parse"/> checks typed text, and returns them in canonical form.</summary>
    public static CspParseResult Create(IEnumerable<CspDirective>? directives) => CspSyntax.Create(directives ?? []);

    /// <summary>
    /// The canonical header value: directive names, keywords, schemes and hosts in lower case, one space between
    /// tokens, <c>"; "</c> between directives, in the order given. <c>Parse(p.ToHeaderValue())</c> gives back
    /// <c>p</c> for any policy <see cref="Parse"/> or <see cref="Create"/> produced.
    /// </summary>
    /// <exception cref="InvalidOperationException">The policy holds a value <see cref="Create"/> would refuse.</exception>
    public string ToHeaderValue()
    {
        var checkedPolicy = CspSyntax.Create(Directives);
        if (checkedPolicy.Policy is null)
        {
            throw new InvalidOperationException("The Content-Security-Policy cannot be served: " + string.Join(" ", checkedPolicy.Errors));
        }

        return CspSyntax.Join(checkedPolicy.Policy.Directives);
    }

    public bool Equals(ContentSecurityPolicy? other) => other is not null && Directives.SequenceEqual(other.Directives);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var directive in Directives)
        {
            hash.Add(directive);
        }

        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Directives = ").Append(CspSyntax.Join(Directives));
        return true;
    }
}
