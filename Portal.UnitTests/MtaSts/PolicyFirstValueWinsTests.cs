using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>RFC 8461 section 3.2: a repeated field other than mx keeps its first value; mx may repeat.</summary>
public class PolicyFirstValueWinsTests
{
    [Fact]
    public void The_first_mode_and_max_age_are_used_and_the_repeats_are_reported()
    {
        var result = MtaStsPolicyParser.Parse(
            "version: STSv1\nmode: enforce\nmax_age: 604800\nmx: mx.example.com\nmode: none\nmax_age: 1\n");

        Assert.Equal(new MtaStsPolicy(MtaStsMode.Enforce, 604800, ["mx.example.com"]), result.Value);
        Assert.Equal(
            [
                "Line 5 repeats the 'mode' field; the first value (line 2) is used and this one is ignored.",
                "Line 6 repeats the 'max_age' field; the first value (line 3) is used and this one is ignored.",
            ],
            result.Warnings.Select(w => w.Message));
        Assert.All(result.Warnings, w => Assert.Equal("duplicate-field", w.Id));
    }

    [Fact]
    public void A_bad_first_value_is_not_rescued_by_a_good_repeat()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nmode: strict\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\n");

        Assert.False(result.IsValid);
        Assert.Equal("mode-invalid", Assert.Single(result.Errors).Id);
    }

    [Fact]
    public void A_repeated_version_keeps_the_first()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nversion: STSv2\nmode: none\nmax_age: 0\n");

        Assert.True(result.IsValid);
        Assert.Equal("duplicate-field", Assert.Single(result.Warnings).Id);
    }

    [Fact]
    public void Every_mx_line_is_kept_in_order()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: c.example.com\nmax_age: 604800\nmx: a.example.com\nmx: *.b.example.com\n");

        Assert.Equal(["c.example.com", "a.example.com", "*.b.example.com"], result.Value!.Mx);
    }
}
