using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>RFC 8461 section 3.2: fields the parser does not know are ignored; field names are case-sensitive.</summary>
public class PolicyUnknownFieldTests
{
    [Fact]
    public void Extension_fields_are_ignored_wherever_they_appear()
    {
        var result = MtaStsPolicyParser.Parse(
            "version: STSv1\nx-comment: managed by the portal\nmode: enforce\nfoo.bar_2-x: 1 2 3\nmx: mx.example.com\nmax_age: 604800\nlast: ok\n");

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
        Assert.Equal(new MtaStsPolicy(MtaStsMode.Enforce, 604800, ["mx.example.com"]), result.Value);
    }

    [Fact]
    public void A_known_name_in_other_case_is_an_unknown_field_and_says_so()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nMode: none\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\n");

        Assert.Equal(MtaStsMode.Enforce, result.Value!.Mode);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("field-name-case", warning.Id);
        Assert.Equal("Line 2: 'Mode' is not the field 'mode' because field names are case-sensitive, so it is ignored.", warning.Message);
    }

    [Fact]
    public void A_required_field_spelled_in_other_case_is_still_missing()
    {
        var result = MtaStsPolicyParser.Parse("Version: STSv1\nmode: none\nmax_age: 0\n");

        Assert.False(result.IsValid);
        Assert.Equal("version-missing", Assert.Single(result.Errors).Id);
    }
}
