namespace Portal.LocalCloud.Edge;

/// <summary>
/// Which distribution a request's Host names. CloudFront matches the Host against every distribution's alternate
/// domain names (a wildcard alias <c>*.example.com</c> covers one more label) and its own <c>dxxxx.cloudfront.net</c>.
/// Locally a Host ending in <c>.localhost</c> names what comes before it: browsers resolve every <c>*.localhost</c>
/// name to loopback by themselves (RFC 6761 section 6.3), so <c>http://test.docs.example.com.localhost:8080/</c> opens
/// the site without a hosts-file entry or a DNS change.
/// </summary>
public static class EdgeHosts
{
    public const string LocalSuffix = ".localhost";

    /// <summary>The name a Host header stands for: no port, no final dot, lower case, <c>.localhost</c> removed.</summary>
    public static string Canonical(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.Trim();
        if (name.StartsWith('['))
        {
            var close = name.IndexOf(']', StringComparison.Ordinal);
            name = close > 0 ? name[..(close + 1)] : name;
        }
        else if (name.LastIndexOf(':') is var colon and > 0)
        {
            name = name[..colon];
        }

        name = name.TrimEnd('.').ToLowerInvariant();
        return name.EndsWith(LocalSuffix, StringComparison.Ordinal) && name.Length > LocalSuffix.Length
            ? name[..^LocalSuffix.Length]
            : name;
    }

    /// <summary>Whether the Host is a <c>*.localhost</c> name (the browser path of the sandbox).</summary>
    public static bool IsLocalName(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.Trim();
        var colon = name.LastIndexOf(':');
        name = (colon > 0 && !name.StartsWith('[') ? name[..colon] : name).TrimEnd('.').ToLowerInvariant();
        return name.EndsWith(LocalSuffix, StringComparison.Ordinal) && name.Length > LocalSuffix.Length;
    }

    /// <summary>The enabled distribution answering for <paramref name="host"/>, or null (CloudFront's 403).</summary>
    public static EdgeDistribution? Find(IEnumerable<EdgeDistribution> distributions, string host)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        var name = Canonical(host);
        if (name.Length == 0)
        {
            return null;
        }

        var enabled = distributions.Where(d => d.Enabled).ToList();
        var exact = enabled.FirstOrDefault(d => d.Aliases.Contains(name, StringComparer.Ordinal) || d.DomainName == name);
        if (exact is not null)
        {
            return exact;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var wildcard = dot > 0 ? "*" + name[dot..] : null;
        return wildcard is null ? null : enabled.FirstOrDefault(d => d.Aliases.Contains(wildcard, StringComparer.Ordinal));
    }
}
