namespace Portal.Sandbox;

/// <summary>
/// The address a person opens to see a served name: <c>https://name/</c> in a real account; in sandbox mode the local
/// cloud's edge, under <c>name.localhost</c>, which browsers resolve to loopback by themselves (RFC 6761).
/// </summary>
public sealed class SiteLinks(Func<string, string> link, bool servedBySandbox)
{
    public static SiteLinks Public { get; } = new(host => $"https://{host}/", servedBySandbox: false);

    /// <summary>True when the links lead to the sandbox's edge on this machine.</summary>
    public bool ServedBySandbox => servedBySandbox;

    public string For(string host) => link(host);
}
