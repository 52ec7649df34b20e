using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>Valid but risky policies are accepted with warnings a person can act on.</summary>
public class PolicyWarningTests
{
    [Fact]
    public void Testing_mode_is_flagged()
    {
        var result = MtaStsPolicy.Create(MtaStsMode.Testing, 604800, ["mx.example.com"]);

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("mode-testing", warning.Id);
        Assert.Equal("RFC 8461 section 5", warning.Section);
    }

    [Fact]
    public void A_max_age_under_a_week_is_flagged_unless_the_mode_is_none()
    {
        var enforce = MtaStsPolicy.Create(MtaStsMode.Enforce, 604799, ["mx.example.com"]);
        var none = MtaStsPolicy.Create(MtaStsMode.None, 60, []);

        Assert.Equal(
            "The 'max_age' is 604799 seconds, less than one week; RFC 8461 expects weeks or more so that a cached policy outlasts an attack at refresh time.",
            Assert.Single(enforce.Warnings).Message);
        Assert.Empty(none.Warnings);
        Assert.Empty(MtaStsPolicy.Create(MtaStsMode.Enforce, 604800, ["mx.example.com"]).Warnings);
    }

    [Fact]
    public void A_wildcard_over_a_top_level_domain_is_flagged()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: *.com\nmax_age: 604800\n");

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("mx-broad", warning.Id);
        Assert.Equal("The 'mx' pattern '*.com' on line 3 allows any host under a top-level domain, which lets nearly any server receive the mail.", warning.Message);
    }

    [Fact]
    public void A_repeated_mx_pattern_is_flagged_once()
    {
        var result = MtaStsPolicy.Create(MtaStsMode.Enforce, 604800, ["mx.example.com", "MX.example.com"]);

        Assert.Equal("mx-duplicate", Assert.Single(result.Warnings).Id);
    }

    [Fact]
    public void Version_not_on_the_first_line_is_accepted_with_a_warning()
    {
        var result = MtaStsPolicyParser.Parse("mode: enforce\nversion: STSv1\nmx: mx.example.com\nmax_age: 604800\n");

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("version-not-first", warning.Id);
        Assert.Equal("The 'version' field is on line 2, not the first line; it is accepted, but policies conventionally start with it.", warning.Message);
    }
}
