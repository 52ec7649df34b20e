using Portal.Core.MtaSts;

namespace Portal.Tests.MtaSts;

/// <summary>Each way a policy can be wrong is refused with its own finding and a message that names the field.</summary>
public class PolicyRefusalTests
{
    private const string Tail = "mode: enforce\nmx: mx.example.com\nmax_age: 604800\n";

    public static TheoryData<string, string, string> BadPolicies => new()
    {
        { "", "policy-empty", "The policy is empty; it needs at least 'version', 'mode' and 'max_age' lines." },
        { "mode: none\nmax_age: 0\n", "version-missing", "The policy has no 'version' field; it must contain 'version: STSv1'." },
        { "version: STSv2\n" + Tail, "version-invalid", "The 'version' field on line 1 is 'STSv2'; it must be exactly 'STSv1'." },
        { "version: stsv1\n" + Tail, "version-invalid", "The 'version' field on line 1 is 'stsv1'; it must be exactly 'STSv1'." },
        { "version: STSv1\nmx: mx.example.com\nmax_age: 604800\n", "mode-missing", "The policy has no 'mode' field; it must be 'enforce', 'testing' or 'none'." },
        { "version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 604800\n", "mode-invalid", "The 'mode' field on line 2 is 'Enforce'; it must be 'enforce', 'testing' or 'none' (lower case)." },
        { "version: STSv1\nmode: enforce\nmx: mx.example.com\n", "max-age-missing", "The policy has no 'max_age' field; it must give the seconds a sender may cache the policy, from 0 to 31557600." },
        { "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: -1\n", "max-age-invalid", "The 'max_age' field on line 4 is '-1'; it must be a whole number of seconds written with 1 to 10 digits." },
        { "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 1e6\n", "max-age-invalid", "The 'max_age' field on line 4 is '1e6'; it must be a whole number of seconds written with 1 to 10 digits." },
        { "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 00000604800\n", "max-age-invalid", "The 'max_age' field on line 4 is '00000604800'; it must be a whole number of seconds written with 1 to 10 digits." },
        { "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557601\n", "max-age-too-large", "The 'max_age' value 31557601 is larger than 31557600, the most RFC 8461 allows (about one year)." },
        { "version: STSv1\nmode: enforce\nmax_age: 604800\n", "mx-missing", "The policy has no 'mx' pattern; at least one is required unless the mode is 'none'." },
        { "version: STSv1\nmode: testing\nmax_age: 604800\n", "mx-missing", "The policy has no 'mx' pattern; at least one is required unless the mode is 'none'." },
        { "version: STSv1\nmode: enforce\nmx: 192.0.2.25\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern '192.0.2.25' on line 3 is an IP address, not a host name." },
        { "version: STSv1\nmode: enforce\nmx: [2001:db8::25]\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern '[2001:db8::25]' on line 3 is an IP address, not a host name." },
        { "version: STSv1\nmode: enforce\nmx: mail.*.example.com\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern 'mail.*.example.com' on line 3 uses '*' other than as the whole left-most label; write it as '*.example.com'." },
        { "version: STSv1\nmode: enforce\nmx: *mail.example.com\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern '*mail.example.com' on line 3 uses '*' other than as the whole left-most label; write it as '*.example.com'." },
        { "version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern '*.*.example.com' on line 3 uses '*' other than as the whole left-most label; write it as '*.example.com'." },
        { "version: STSv1\nmode: enforce\nmx: *\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern '*' on line 3 uses '*' other than as the whole left-most label; write it as '*.example.com'." },
        { "version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern 'mail.example.com.' on line 3 ends with a dot; write the name without the trailing dot." },
        { "version: STSv1\nmode: enforce\nmx: mail_1.example.com\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern 'mail_1.example.com' on line 3 contains '_'; a host name has only letters, digits, hyphens and dots." },
        { "version: STSv1\nmode: enforce\nmx: bücher.example\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern 'b\\u00FCcher.example' on line 3 contains the non-ASCII character 'ü' (U+00FC); write internationalised names in their A-label (punycode) form, e.g. 'xn--bcher-kva.example'." },
        { "version: STSv1\nmode: enforce\nmx: mail..example.com\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern 'mail..example.com' on line 3 contains an empty label (two dots in a row or a leading dot)." },
        { "version: STSv1\nmode: enforce\nmx: -mail.example.com\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern '-mail.example.com' on line 3 has the label '-mail', which starts or ends with a hyphen." },
        { "version: STSv1\nmode: enforce\nmx:\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern '' on line 3 is empty." },
        { "version: STSv1\nmode: enforce\nmx: mx.example.com extra\nmax_age: 604800\n", "mx-invalid", "The 'mx' pattern 'mx.example.com extra' on line 3 contains a space." },
        { "version: STSv1\nnote for admins\n" + Tail, "line-syntax", "Line 2 ('note for admins') is not a 'name: value' field." },
        { "version: STSv1\n note: x\n" + Tail, "line-syntax", "Line 2: the field name ' note' is not valid; the name must start the line and be followed directly by ':'." },
        { "version: STSv1\nmode: enforce\n_x: 1\nmx: mx.example.com\nmax_age: 604800\n", "line-syntax", "Line 3: the field name '_x' is not valid; names are 1 to 32 letters, digits, '_', '-' or '.', starting with a letter or digit." },
        { "version: STSv1\nnote: a\u0000b\n" + Tail, "line-syntax", "Line 2 contains the control character U+0000 (NUL)." },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void A_bad_policy_is_refused_with_one_clear_error(string text, string id, string message)
    {
        var result = MtaStsPolicyParser.Parse(text);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal(id, error.Id);
        Assert.Equal(message, error.Message);
        Assert.StartsWith("RFC 8461 section ", error.Section, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_line_is_reported_and_the_field_it_meant_is_then_missing()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nmode enforce\nmx: mx.example.com\nmax_age: 604800\n");

        Assert.Equal(["line-syntax", "mode-missing"], result.Errors.Select(e => e.Id));
        Assert.Equal("Line 2 ('mode enforce') is not a 'name: value' field.", result.Errors[0].Message);
    }

    [Fact]
    public void A_null_policy_is_refused_not_thrown()
    {
        var result = MtaStsPolicyParser.Parse(null);

        Assert.Equal("policy-empty", Assert.Single(result.Errors).Id);
    }

    [Fact]
    public void A_policy_over_64_KiB_is_refused_before_it_is_read()
    {
        var text = "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\nx: " + new string('a', 65536) + "\n";

        var result = MtaStsPolicyParser.Parse(text);

        var error = Assert.Single(result.Errors);
        Assert.Equal("policy-too-large", error.Id);
        Assert.Equal($"The policy is {text.Length} bytes; policies larger than 65536 bytes (64 KiB) are refused.", error.Message);
        Assert.Equal("RFC 8461 section 3.3", error.Section);
    }

    [Fact]
    public void A_policy_of_exactly_64_KiB_is_read()
    {
        var head = "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\nx: ";
        var text = head + new string('a', 65536 - head.Length - 1) + "\n";
        Assert.Equal(65536, text.Length);

        Assert.True(MtaStsPolicyParser.Parse(text).IsValid);
    }

    [Fact]
    public void The_size_limit_counts_utf8_bytes_not_characters()
    {
        var head = "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\nx: ";
        var text = head + new string('é', 40000) + "\n";

        Assert.Equal("policy-too-large", Assert.Single(MtaStsPolicyParser.Parse(text).Errors).Id);
    }

    [Fact]
    public void Several_problems_are_all_reported_at_once()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv3\nmode: strict\nmx: 10.0.0.1\nmax_age: forever\n");

        Assert.Equal(["version-invalid", "mode-invalid", "max-age-invalid", "mx-invalid"], result.Errors.Select(e => e.Id));
    }

    [Fact]
    public void Max_age_bounds_are_inclusive()
    {
        Assert.True(MtaStsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 0\n").IsValid);
        Assert.True(MtaStsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557600\n").IsValid);
        Assert.True(MtaStsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 0031557600\n").IsValid);
    }

    [Fact]
    public void Mode_none_needs_no_mx()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 86400\n");

        Assert.True(result.IsValid);
        Assert.Empty(result.Value!.Mx);
        Assert.Empty(result.Warnings);
    }
}
