using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>RFC 8461 section 3.2: <c>sts-policy-term = LF / CRLF</c>, and the last terminator is optional.</summary>
public class PolicyLineEndingTests
{
    private static readonly string[] Lines = ["version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: *.mail.example.com", "max_age: 86400"];

    private static readonly MtaStsPolicy Expected = new(MtaStsMode.Testing, 86400, ["mx1.example.com", "*.mail.example.com"]);

    [Theory]
    [InlineData("\n", true)]
    [InlineData("\r\n", true)]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    public void Lf_and_crlf_with_or_without_a_final_terminator_read_the_same(string terminator, bool finalTerminator)
    {
        var text = string.Join(terminator, Lines) + (finalTerminator ? terminator : "");

        var result = MtaStsPolicyParser.Parse(text);

        Assert.True(result.IsValid);
        Assert.Equal(Expected, result.Value);
    }

    [Fact]
    public void Lf_and_crlf_may_be_mixed_line_by_line()
    {
        var text = "version: STSv1\nmode: testing\r\nmx: mx1.example.com\nmx: *.mail.example.com\r\nmax_age: 86400\n";

        Assert.Equal(Expected, MtaStsPolicyParser.Parse(text).Value);
    }

    [Fact]
    public void A_bare_carriage_return_is_not_a_line_terminator()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\rmode: testing\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n");

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors, e => e.Id == "line-syntax");
        Assert.Equal("Line 1 contains a carriage return that is not followed by a line feed; lines end with LF or CRLF.", error.Message);
        Assert.Equal("RFC 8461 section 3.2", error.Section);
    }

    [Fact]
    public void Serialization_uses_crlf_and_ends_with_a_terminator()
    {
        var body = Expected.Serialize();

        Assert.Equal("version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: *.mail.example.com\r\nmax_age: 86400\r\n", body);
        Assert.DoesNotContain("\n", body.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_blank_line_is_skipped_with_a_warning()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\n\nmode: testing\nmx: mx1.example.com\nmx: *.mail.example.com\nmax_age: 86400\n");

        Assert.Equal(Expected, result.Value);
        var warning = Assert.Single(result.Warnings, w => w.Id == "blank-line");
        Assert.Equal("Line 2 is blank; the policy grammar has no empty lines, so it is skipped.", warning.Message);
    }
}
