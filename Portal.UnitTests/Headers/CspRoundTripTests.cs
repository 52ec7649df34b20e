using CsCheck;
using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>parse(serialize(p)) == p for structured policies, and building one in code is checked like typing it.</summary>
public class CspRoundTripTests
{
    private static readonly Gen<string> Label = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 8];
    private static readonly Gen<string> Host = Gen.Select(Label.Array[1, 3], Gen.Bool).Select((labels, wildcard) => (wildcard ? "*." : "") + string.Join(".", labels) + ".test");
    private static readonly Gen<string> Base64 = Gen.String[Gen.Char["ABCDEFabcdef0123456789+/-_"], 1, 24];

    private static readonly Gen<string> Source = Gen.OneOf(
        Gen.OneOf("'self'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'report-sample'", "'wasm-unsafe-eval'", "*", "https:", "data:", "blob:", "wss:"),
        Host,
        Gen.Select(Gen.OneOf("https", "http", "wss"), Host, Gen.OneOf("", ":443", ":*", ":8080"), Gen.OneOf("", "/", "/assets/", "/a/b.js", "/p%20q"))
            .Select((scheme, host, port, path) => $"{scheme}://{host}{port}{path}"),
        Base64.Select(v => $"'nonce-{v}'"),
        Gen.Select(Gen.OneOf("sha256", "sha384", "sha512"), Base64, Gen.OneOf("", "=", "==")).Select((a, v, pad) => $"'{a}-{v}{pad}'"));

    private static readonly Gen<CspDirective> SourceDirective = Gen.Select(
            Gen.OneOf("default-src", "script-src", "style-src", "img-src", "connect-src", "font-src", "object-src", "media-src", "frame-src", "worker-src", "base-uri", "form-action"),
            Source.Array[1, 5],
            Gen.Int[0, 9])
        .Select((name, sources, none) => new CspDirective(name, none == 0 ? ["'none'"] : sources));

    private static readonly Gen<CspDirective> OtherDirective = Gen.OneOf(
        Gen.Const(new CspDirective("upgrade-insecure-requests", [])),
        Gen.OneOf("'self'", "'none'", "https://partner.test").Select(s => new CspDirective("frame-ancestors", [s])),
        Gen.OneOf("allow-scripts", "allow-forms", "allow-same-origin").Array[0, 3].Select(flags => new CspDirective("sandbox", flags)),
        Label.Select(endpoint => new CspDirective("report-to", [endpoint])));

    private static readonly Gen<ContentSecurityPolicy> Policy =
        Gen.OneOf(SourceDirective, OtherDirective).Array[1, 8]
            .Select(directives => new ContentSecurityPolicy(directives.DistinctBy(d => d.Name)));

    [Fact]
    public void Parsing_the_header_value_of_a_policy_gives_the_same_policy()
    {
        Policy.Sample(policy =>
        {
            var created = ContentSecurityPolicy.Create(policy.Directives);
            Assert.True(created.IsValid, string.Join(" ", created.Errors));
            Assert.Equal(policy, created.Policy);

            var parsed = ContentSecurityPolicy.Parse(policy.ToHeaderValue());
            Assert.True(parsed.IsValid, string.Join(" ", parsed.Errors));
            Assert.Equal(policy, parsed.Policy);
        }, iter: 3000);
    }

    [Fact]
    public void Serialization_is_idempotent()
    {
        Policy.Sample(policy =>
        {
            var once = policy.ToHeaderValue();
            Assert.Equal(once, ContentSecurityPolicy.Parse(once).Policy!.ToHeaderValue());
        }, iter: 1000);
    }

    [Fact]
    public void Create_canonicalizes_like_parse()
    {
        var created = ContentSecurityPolicy.Create([new CspDirective("Script-Src", ["'SELF'", "HTTPS://CDN.test/X"])]);

        Assert.Equal("script-src 'self' https://cdn.test/X", created.Policy!.ToHeaderValue());
    }

    [Theory]
    [InlineData("'self' https://evil.test", "The value ''self' https://evil.test' of 'script-src' is empty or contains a space or ';'; give each source as its own value.")]
    [InlineData("'self';img-src", "The value ''self';img-src' of 'script-src' is empty or contains a space or ';'; give each source as its own value.")]
    [InlineData("", "The value '' of 'script-src' is empty or contains a space or ';'; give each source as its own value.")]
    [InlineData("'self'\r\nX: 1", "The value ''self'\\u000D\\u000AX: 1' of 'script-src' contains a line break (U+000D (carriage return)) at position 7; a header value must be on one line.")]
    public void Create_refuses_a_source_that_is_not_one_token(string source, string message)
    {
        var created = ContentSecurityPolicy.Create([new CspDirective("script-src", [source])]);

        Assert.Null(created.Policy);
        Assert.Equal(message, created.Errors[0]);
    }

    [Fact]
    public void A_policy_built_without_create_cannot_be_serialized_if_it_is_invalid()
    {
        var smuggled = new ContentSecurityPolicy([new CspDirective("default-src", ["'self'\"; X-Injected: 1"])]);

        Assert.Throws<InvalidOperationException>(smuggled.ToHeaderValue);
    }

    [Fact]
    public void Directive_lists_are_copied_and_compared_by_value()
    {
        var sources = new List<string> { "'self'" };
        var directive = new CspDirective("default-src", sources);
        sources.Add("https:");

        Assert.Equal(new CspDirective("default-src", ["'self'"]), directive);
        Assert.Equal(new ContentSecurityPolicy([directive]).GetHashCode(), new ContentSecurityPolicy([new CspDirective("default-src", ["'self'"])]).GetHashCode());
    }
}
