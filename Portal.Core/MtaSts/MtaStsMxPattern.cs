namespace Portal.Core.MtaSts;

/// <summary>
/// MX host patterns of an MTA-STS policy: a host name (<c>mail.example.com</c>) or a host name below a wildcard
/// label (<c>*.example.net</c>), RFC 8461 section 3.2 (<c>sts-policy-mx-value = ["*."] Domain</c>).
/// </summary>
public static class MtaStsMxPattern
{
    private const string WildcardPrefix = "*.";

    /// <summary>
    /// Whether <paramref name="mxHost"/> (an MX record's target) is allowed by <paramref name="pattern"/>.
    /// RFC 8461 section 4.1: <c>*</c> stands for exactly one whole left-most label, so <c>*.example.com</c>
    /// matches <c>mail.example.com</c> but neither <c>example.com</c> nor <c>foo.bar.example.com</c>.
    /// Comparison ignores ASCII case, and one trailing dot on the MX host (as DNS answers write it) is ignored.
    /// </summary>
    public static bool Matches(string pattern, string mxHost)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(mxHost);

        var host = mxHost.EndsWith('.') ? mxHost[..^1] : mxHost;
        if (host.Length == 0 || pattern.Length == 0)
        {
            return false;
        }

        if (!pattern.StartsWith(WildcardPrefix, StringComparison.Ordinal))
        {
            return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        }

        var suffix = pattern[1..]; // ".example.com"
        var firstDot = host.IndexOf('.');
        return firstDot > 0
            && string.Equals(host[firstDot..], suffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Returns why <paramref name="pattern"/> is not a valid MX pattern, or null when it is valid.</summary>
    public static string? Problem(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);

        if (pattern.Length == 0)
        {
            return "is empty";
        }

        var wildcard = pattern.StartsWith(WildcardPrefix, StringComparison.Ordinal);
        var name = wildcard ? pattern[WildcardPrefix.Length..] : pattern;
        if (name.Contains('*', StringComparison.Ordinal))
        {
            return "uses '*' other than as the whole left-most label; write it as '*.example.com'";
        }

        if (wildcard && name.Length == 0)
        {
            return "has no name after '*.'";
        }

        return HostNames.Problem(name);
    }

    /// <summary>
    /// A wildcard directly above a single label (<c>*.com</c>) lets any host under a whole top-level domain
    /// through, which defeats the policy.
    /// </summary>
    internal static bool IsBroad(string pattern) =>
        pattern.StartsWith(WildcardPrefix, StringComparison.Ordinal)
        && !pattern[WildcardPrefix.Length..].Contains('.', StringComparison.Ordinal);
}
