using Portal.Core.Identity;

namespace Portal.Tests.Identity;

/// <summary>
/// The one redirect rule: only a path on this site survives; every spelling that a browser, a proxy or a decoder could
/// turn into another host (or a header injection) sends the person to the dashboard instead.
/// </summary>
public sealed class LocalRedirectTargetTests
{
    /// <summary>Hostile return addresses: each must come back as "/".</summary>
    public static TheoryData<string?> Hostile =>
    [
        null, "", " ", "requests", "evil.example", "https://evil.example/", "http:/evil.example", "javascript:alert(1)", "JAVASCRIPT:alert(1)",
        "data:text/html,hi", "//evil.example/", "///evil.example/", "/\\evil.example/", "\\/evil.example/", "\\\\evil.example/", "/\\/evil.example",
        "/\t/evil.example/phish", "/%09/evil.example/phish", "/%0909/evil.example", "/\r/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: a=b",
        "/%0d%0aSet-Cookie:%20a=b", "/\v/evil.example", "/\f/evil.example", "/\0/evil.example", "/%00/evil.example", "/\u3000/evil.example",
        "/\u2028/evil.example", "/\u2029/evil.example", "/\u00A0/evil.example", "/\uFF0Fevil.example", "/\uFF3Cevil.example", "/%EF%BC%8Fevil.example",
        "/%2F/evil.example", "/%2f/evil.example", "/%5C/evil.example", "/%5cevil.example", "/%252F/evil.example", "/%25252F/evil.example",
        " /requests", "/requests ", "/requests\t", "/a\\b", "/requests?x=\\", "\u2215\u2215evil.example", "/ /evil.example", "\t//evil.example",
        "/" + new string('a', LocalRedirectTarget.MaxLength),
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_return_addresses_go_to_the_dashboard(string? candidate)
    {
        Assert.False(LocalRedirectTarget.IsLocal(candidate));
        Assert.Equal("/", LocalRedirectTarget.OrRoot(candidate));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/requests/42?tab=plan")]
    [InlineData("/requests/0193a5b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b")]
    [InlineData("/audit?person=a%2Fb&from=2026-01-01")]
    [InlineData("/connect/authorize?client_id=portal&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fsignin-oidc&scope=openid%20profile")]
    [InlineData("/health/docs.example.com#latest")]
    [InlineData("/requests/%C3%A9t%C3%A9")]
    public void Paths_on_the_portal_are_kept_as_they_are(string candidate) =>
        Assert.Equal(candidate, LocalRedirectTarget.OrRoot(candidate));
}
