using Portal.Core.MtaSts;

namespace Portal.Tests.MtaSts;

/// <summary>RFC 8461 section 4.1: '*' matches exactly one whole left-most label; names compare without case.</summary>
public class MxWildcardMatchingTests
{
    [Theory]
    // The RFC's own example: "*.example.com" matches "mail.example.com" but not "example.com" or "foo.bar.example.com".
    [InlineData("*.example.com", "mail.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "foo.bar.example.com", false)]
    [InlineData("mail.example.com", "mail.example.com", true)]
    [InlineData("mail.example.com", "mx.mail.example.com", false)]
    [InlineData("mail.example.com", "example.com", false)]
    public void Wildcards_cover_one_label_and_exact_patterns_cover_one_host(string pattern, string host, bool expected)
    {
        Assert.Equal(expected, MtaStsMxPattern.Matches(pattern, host));
    }

    [Theory]
    [InlineData("*.Example.COM", "MAIL.example.com")]
    [InlineData("Mail.Example.Com", "mail.EXAMPLE.com")]
    public void Matching_ignores_case(string pattern, string host)
    {
        Assert.True(MtaStsMxPattern.Matches(pattern, host));
    }

    [Theory]
    [InlineData("mail.example.com", "mail.example.com.")]
    [InlineData("*.example.com", "mx1.example.com.")]
    public void A_trailing_dot_on_the_mx_host_is_ignored(string pattern, string host)
    {
        Assert.True(MtaStsMxPattern.Matches(pattern, host));
    }

    [Theory]
    [InlineData("*.example.com", "")]
    [InlineData("*.example.com", ".")]
    [InlineData("*.example.com", ".example.com")]
    [InlineData("*.example.com", "mail.example.com..")]
    [InlineData("mail.example.com", "mail.example.com..")]
    public void Empty_labels_never_match(string pattern, string host)
    {
        Assert.False(MtaStsMxPattern.Matches(pattern, host));
    }

    [Fact]
    public void A_policy_matches_when_any_of_its_patterns_does()
    {
        var policy = MtaStsPolicy.Create(Portal.Core.Requests.MtaStsMode.Enforce, 604800, ["mx1.example.com", "*.mail.example.com"]).Value!;

        Assert.True(policy.Matches("mx1.example.com"));
        Assert.True(policy.Matches("eu.mail.example.com"));
        Assert.False(policy.Matches("mx2.example.com"));
        Assert.False(policy.Matches("mail.example.com"));
    }
}
