using CsCheck;
using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>
/// Text that could break out of a header, a JSON or YAML string, a CloudFront Function's JavaScript or an HTML page is
/// refused with a message saying where it is; nothing hostile ever reaches the serialized header.
/// </summary>
public class CspHostileInputTests
{
    public static TheoryData<string, string> HostileValues => new()
    {
        { "default-src 'self'\r\nSet-Cookie: a=b", "The Content-Security-Policy contains a line break (U+000D (carriage return)) at position 19; a header value must be on one line." },
        { "default-src 'self'\nX-Other: 1", "The Content-Security-Policy contains a line break (U+000A (line feed)) at position 19; a header value must be on one line." },
        { "default-src\t'self'", "The Content-Security-Policy contains the control character U+0009 (tab) at position 12; separate values with spaces only." },
        { "default-src 'self'\u0000", "The Content-Security-Policy contains the control character U+0000 (NUL) at position 19; separate values with spaces only." },
        { "default-src 'self', script-src *", "The Content-Security-Policy contains a comma at position 19; a comma starts a second policy, so separate directives with ';' instead." },
        { "default-src \"self\"", "The Content-Security-Policy contains a double quote at position 13; keywords are written in single quotes, e.g. 'self'." },
        { "default-src 'self' \\\"; alert(1); //", "The Content-Security-Policy contains a backslash at position 20, which no CSP value uses." },
        { "default-src 'self' https://exämple.com", "The Content-Security-Policy contains the non-ASCII character 'ä' (U+00E4) at position 30; CSP is ASCII, so write host names in their A-label (punycode) form." },
        { "default-src 'self' \u202Eevil", "The Content-Security-Policy contains the non-ASCII character '\u202E' (U+202E) at position 20; CSP is ASCII, so write host names in their A-label (punycode) form." },
        { "default-src ${AWS::AccountId}", "In 'default-src', '${AWS::AccountId}' is not a valid source: expected a keyword in single quotes ('self'), a scheme (https:), a host (example.com, *.example.com, https://cdn.example.com/path), a nonce or a hash." },
        { "default-src https://example.com/${x}", "In 'default-src', 'https://example.com/${x}' is not a valid source: the path may hold only letters, digits, '/', and - . _ ~ ! $ & ( ) * + = : @ or %XX escapes (percent-encode quotes)." },
        { "default-src 'self' </script><script>alert(1)</script>", "In 'default-src', '</script><script>alert(1)</script>' is not a valid source: expected a keyword in single quotes ('self'), a scheme (https:), a host (example.com, *.example.com, https://cdn.example.com/path), a nonce or a hash." },
        { "default-src 'self' ';alert(1);'", "In 'default-src', ''' is not a valid source: a keyword, nonce or hash is one word between two single quotes, e.g. 'self'." },
        { "default-src `whoami`", "In 'default-src', '`whoami`' is not a valid source: expected a keyword in single quotes ('self'), a scheme (https:), a host (example.com, *.example.com, https://cdn.example.com/path), a nonce or a hash." },
        { "default-src {{ .Values.x }}", "In 'default-src', '{{' is not a valid source: expected a keyword in single quotes ('self'), a scheme (https:), a host (example.com, *.example.com, https://cdn.example.com/path), a nonce or a hash." },
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Hostile_text_is_refused_with_its_position(string csp, string message)
    {
        var result = ContentSecurityPolicy.Parse(csp);

        Assert.Null(result.Policy);
        Assert.Contains(message, result.Errors);
    }

    [Fact]
    public void A_policy_longer_than_4096_characters_is_refused()
    {
        var csp = "default-src " + string.Join(" ", Enumerable.Range(0, 400).Select(i => $"h{i}.example.com"));
        Assert.True(csp.Length > 4096);

        Assert.Equal($"The Content-Security-Policy is {csp.Length} characters long; at most 4096 are allowed.", Assert.Single(ContentSecurityPolicy.Parse(csp).Errors));
    }

    [Fact]
    public void Each_kind_of_bad_character_is_reported_once()
    {
        var result = ContentSecurityPolicy.Parse("default-src 'self'\n\n,,\"\"");

        Assert.Equal(3, result.Errors.Count);
    }

    private const string Hostile = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 ;:,.'\"\\/*-_=+$!{}()<>[]`|^#%@&?~\r\n\t\u0000\u00e9\u2028\u202e";

    private static readonly string[] Fragments =
    [
        "default-src", "script-src", "img-src", "frame-ancestors", "'self'", "'none'", "'unsafe-inline'", "https:",
        "*.example.com", "https://cdn.example.com/a", "; ", " ", "${x}", "</script>", "\\", "\"", "'", "\n", "\r\n", ",", "é",
    ];

    private static readonly string[] Names = ["default-src", "script-src", "img-src", "style-src", "frame-ancestors", "base-uri"];

    private static readonly string[] Sources = ["'self'", "'unsafe-inline'", "https:", "data:", "*.example.com", "https://cdn.example.com/a", "'nonce-abc'", "*"];

    private static readonly string[] Injections = ["${x}", "</script>", "\\", "\"", "'", "\n", "\r\n", ",", "é", "`", "{", "\u0000", "\u2028"];

    /// <summary>
    /// Raw hostile characters, loose fragments, and well-formed directives with an occasional injected fragment, so
    /// that both accepted and refused inputs come up often.
    /// </summary>
    private static readonly Gen<string> HostileText =
        Gen.Frequency(
            (1, Gen.String[Gen.Char[Hostile], 0, 80]),
            (1, Gen.OneOf(Fragments).Array[1, 12].Select(parts => string.Concat(parts))),
            (3, Gen.Select(Gen.OneOf(Names), Gen.OneOf(Sources).Array[1, 4], Gen.Int[0, 3], Gen.OneOf(Injections), Gen.Int[0, 40])
                .Select((name, sources, inject, injection, at) =>
                {
                    var directive = name + " " + string.Join(" ", sources);
                    return inject == 0 ? directive.Insert(Math.Min(at, directive.Length), injection) : directive;
                })
                .Array[1, 4]
                .Select(directives => string.Join("; ", directives))));

    [Fact]
    public void Whatever_is_typed_parsing_never_throws_and_an_accepted_policy_serializes_safely()
    {
        var accepted = 0;
        var refused = 0;
        HostileText.Sample(text =>
        {
            var result = ContentSecurityPolicy.Parse(text);
            Assert.True(result.IsValid ^ result.Errors.Count > 0);
            if (result.Policy is null)
            {
                Interlocked.Increment(ref refused);
                Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e)));
                return;
            }

            Interlocked.Increment(ref accepted);

            var header = result.Policy.ToHeaderValue();
            Assert.All(header, c => Assert.True(c is >= ' ' and <= '~' and not ',' and not '"' and not '\\' and not '<' and not '>' and not '{' and not '}' and not '`', $"unexpected {(int)c:X4} in {header}"));
            Assert.Equal(result.Policy, ContentSecurityPolicy.Parse(header).Policy);
        }, iter: 20000);

        // Both paths must really be exercised, or the property says little.
        Assert.True(accepted > 200, $"only {accepted} generated policies were valid");
        Assert.True(refused > 200, $"only {refused} generated policies were refused");
    }
}
