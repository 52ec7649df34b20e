using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>The example policy printed in RFC 8461 section 3.2 reads as the RFC describes it.</summary>
public class PolicyRfcExampleTests
{
    // RFC 8461 section 3.2, "An example policy is as below:" (lines as printed, CRLF-separated as the prose says).
    private const string RfcExample =
        "version: STSv1\r\n" +
        "mode: enforce\r\n" +
        "mx: mail.example.com\r\n" +
        "mx: *.example.net\r\n" +
        "mx: backupmx.example.com\r\n" +
        "max_age: 604800\r\n";

    [Fact]
    public void The_section_3_2_example_is_a_valid_enforce_policy_with_three_mx_patterns()
    {
        var result = MtaStsPolicyParser.Parse(RfcExample);

        Assert.True(result.IsValid, string.Join(" ", result.Errors.Select(e => e.Message)));
        Assert.Empty(result.Warnings);
        var policy = result.Value!;
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(604800, policy.MaxAge);
        Assert.Equal(["mail.example.com", "*.example.net", "backupmx.example.com"], policy.Mx);
        Assert.Equal("STSv1", policy.Version);
    }

    [Fact]
    public void The_example_policy_serializes_back_to_the_same_bytes()
    {
        var policy = MtaStsPolicyParser.Parse(RfcExample).Value!;

        Assert.Equal(RfcExample, policy.Serialize());
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("mx7.example.net", true)]
    [InlineData("backupmx.example.com", true)]
    [InlineData("example.net", false)]
    [InlineData("a.b.example.net", false)]
    [InlineData("mail.example.org", false)]
    public void The_example_policy_allows_exactly_the_hosts_its_patterns_name(string mxHost, bool allowed)
    {
        var policy = MtaStsPolicyParser.Parse(RfcExample).Value!;

        Assert.Equal(allowed, policy.Matches(mxHost));
    }
}
