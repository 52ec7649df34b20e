using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>Directives and sources outside CSP Level 3 are refused with a message that names the directive.</summary>
public class CspRefusalTests
{
    public static TheoryData<string, string> BadPolicies => new()
    {
        { "", "The Content-Security-Policy is empty; write at least one directive, e.g. default-src 'self'." },
        { " ;; ", "The Content-Security-Policy has no directives; write at least one, e.g. default-src 'self'." },
        { "default-src 'self'; scirpt-src 'self'", "The directive 'scirpt-src' is not a CSP Level 3 directive; check its spelling (e.g. default-src, script-src, frame-ancestors)." },
        { "block-all-mixed-content", "The directive 'block-all-mixed-content' is obsolete and not part of CSP Level 3; remove it." },
        { "plugin-types application/pdf", "The directive 'plugin-types' is obsolete and not part of CSP Level 3; remove it." },
        { "default-src 'self'; DEFAULT-SRC 'none'", "The directive 'default-src' appears more than once; browsers use only the first, so merge their values into one." },
        { "default-src", "The directive 'default-src' has no sources; write 'none' to allow nothing." },
        { "default-src 'none' 'self'", "In 'default-src', 'none' cannot be combined with other sources; remove 'none' or the others." },
        { "default-src self", "In 'default-src', 'self' is not a valid source: write it in single quotes, as 'self'; without them it names a host." },
        { "script-src unsafe-inline", "In 'script-src', 'unsafe-inline' is not a valid source: write it in single quotes, as 'unsafe-inline'; without them it names a host." },
        { "script-src 'unsafe-everything'", "In 'script-src', ''unsafe-everything'' is not a valid source: it is not a CSP keyword ('self', 'unsafe-inline', 'strict-dynamic', ...), nonce or hash." },
        { "script-src 'self", "In 'script-src', ''self' is not a valid source: a keyword, nonce or hash is one word between two single quotes, e.g. 'self'." },
        { "script-src 'nonce-'", "In 'script-src', ''nonce-'' is not a valid source: a nonce is 'nonce-' followed by base64 characters." },
        { "script-src 'sha256-ab$c'", "In 'script-src', ''sha256-ab$c'' is not a valid source: a hash is 'sha256-' followed by base64 characters." },
        { "script-src 'sha1-abc'", "In 'script-src', ''sha1-abc'' is not a valid source: it is not a CSP keyword ('self', 'unsafe-inline', 'strict-dynamic', ...), nonce or hash." },
        { "frame-ancestors 'unsafe-inline'", "In 'frame-ancestors', ''unsafe-inline'' is not a valid source: frame-ancestors accepts only 'self', 'none', schemes and hosts." },
        { "img-src https://example.com:99999", "In 'img-src', 'https://example.com:99999' is not a valid source: the port '99999' must be a number up to 65535 or '*'." },
        { "img-src https://example.com/it's", "In 'img-src', 'https://example.com/it's' is not a valid source: single quotes are only used around a whole keyword, nonce or hash, e.g. 'self'." },
        { "img-src exa_mple.com", "In 'img-src', 'exa_mple.com' is not a valid source: expected a keyword in single quotes ('self'), a scheme (https:), a host (example.com, *.example.com, https://cdn.example.com/path), a nonce or a hash." },
        { "img-src 1http://example.com", "In 'img-src', '1http://example.com' is not a valid source: '1http' is not a URL scheme." },
        { "upgrade-insecure-requests 1", "The directive 'upgrade-insecure-requests' takes no value; found '1'." },
        { "sandbox allow-everything", "In 'sandbox', 'allow-everything' is not a sandbox flag; flags are allow-forms, allow-scripts, allow-same-origin, allow-popups and the like." },
        { "report-to a b", "The directive 'report-to' needs exactly one endpoint name made of letters, digits, '-', '_' or '.'." },
        { "report-uri", "The directive 'report-uri' needs at least one URL." },
        { "require-trusted-types-for script", "The directive 'require-trusted-types-for' takes exactly 'script' in single quotes." },
        { "webrtc 'maybe'", "The directive 'webrtc' takes exactly 'allow' or 'block' in single quotes." },
        { "trusted-types 'none' default", "In 'trusted-types', 'none' cannot be combined with other values." },
        { "default_src 'self'", "'default_src' is not a directive name; a directive starts with a name such as default-src or script-src." },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void A_bad_policy_is_refused_with_one_clear_message(string csp, string message)
    {
        var result = ContentSecurityPolicy.Parse(csp);

        Assert.Null(result.Policy);
        Assert.Equal(message, Assert.Single(result.Errors));
    }

    [Fact]
    public void Every_bad_directive_is_reported_not_just_the_first()
    {
        var result = ContentSecurityPolicy.Parse("default-src self; foo-src 'self'; img-src 'bogus'");

        Assert.Equal(3, result.Errors.Count);
    }

    [Fact]
    public void A_null_value_is_refused_not_thrown()
    {
        Assert.Equal("The Content-Security-Policy is empty; write at least one directive, e.g. default-src 'self'.", Assert.Single(ContentSecurityPolicy.Parse(null).Errors));
    }
}
