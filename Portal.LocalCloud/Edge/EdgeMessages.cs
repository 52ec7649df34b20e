namespace Portal.LocalCloud.Edge;

/// <summary>A viewer's request as the edge received it: the path still percent-encoded, the query raw (no <c>?</c>).</summary>
public sealed record EdgeRequest(
    bool IsHttps,
    string Host,
    string Method,
    string Path,
    string Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string ViewerIp)
{
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}

/// <summary>The edge's answer. Header names keep the case they were given in; lookups ignore case.</summary>
public sealed record EdgeResponse(int Status, string? Reason, Dictionary<string, string> Headers, byte[] Body)
{
    /// <summary>Cookies a function set, one <c>Set-Cookie</c> line each.</summary>
    public IReadOnlyList<string> SetCookies { get; init; } = [];

    public static Dictionary<string, string> NewHeaders() => new(StringComparer.OrdinalIgnoreCase);
}
