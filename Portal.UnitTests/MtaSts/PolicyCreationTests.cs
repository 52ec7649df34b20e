using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>Policies built from a request are checked field by field, and an unchecked policy cannot be served.</summary>
public class PolicyCreationTests
{
    [Fact]
    public void Create_reports_every_bad_field()
    {
        var result = MtaStsPolicy.Create(MtaStsMode.Enforce, 40_000_000, ["mx.example.com\nmode: none", "10.1.2.3"]);

        Assert.False(result.IsValid);
        Assert.Equal(
            [
                "The 'max_age' value 40000000 is larger than 31557600, the most RFC 8461 allows (about one year).",
                "The 'mx' pattern 'mx.example.com\\u000Amode: none' contains U+000A (line feed).",
                "The 'mx' pattern '10.1.2.3' is an IP address, not a host name.",
            ],
            result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Create_refuses_a_negative_max_age_and_an_undefined_mode()
    {
        var result = MtaStsPolicy.Create((MtaStsMode)7, -5, ["mx.example.com"]);

        Assert.Equal(["mode-invalid", "max-age-invalid"], result.Errors.Select(e => e.Id));
    }

    [Fact]
    public void Create_accepts_a_null_mx_list_only_for_mode_none()
    {
        Assert.True(MtaStsPolicy.Create(MtaStsMode.None, 0, null).IsValid);
        Assert.Equal("mx-missing", Assert.Single(MtaStsPolicy.Create(MtaStsMode.Enforce, 0, null).Errors).Id);
    }

    [Fact]
    public void Serialize_refuses_a_policy_that_bypassed_create()
    {
        var smuggled = new MtaStsPolicy(MtaStsMode.Enforce, 604800, ["mx.example.com\r\nmode: none"]);

        var error = Assert.Throws<InvalidOperationException>(smuggled.Serialize);
        Assert.Contains("contains U+000D (carriage return)", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => MtaStsPolicyId.For(smuggled));
    }

    [Fact]
    public void The_mx_list_is_copied_so_later_changes_to_the_source_do_not_leak_in()
    {
        var source = new List<string> { "mx.example.com" };
        var policy = new MtaStsPolicy(MtaStsMode.Enforce, 604800, source);
        source.Add("evil.example.net");

        Assert.Equal(["mx.example.com"], policy.Mx);
    }
}
