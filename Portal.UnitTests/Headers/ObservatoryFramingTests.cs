using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>The x-frame-options test, which CSP frame-ancestors satisfies with a bonus.</summary>
public class ObservatoryFramingTests
{
    [Theory]
    [InlineData("DENY", "x-frame-options-sameorigin-or-deny", 0, true)]
    [InlineData(" sameorigin ", "x-frame-options-sameorigin-or-deny", 0, true)]
    [InlineData("ALLOW-FROM https://partner.example.com", "x-frame-options-allow-from-origin", 0, true)]
    [InlineData("ALLOWALL", "x-frame-options-header-invalid", -20, false)]
    [InlineData("DENY, DENY", "x-frame-options-header-invalid", -20, false)]
    public void Each_x_frame_options_value_gets_the_observatory_result(string value, string result, int modifier, bool passed)
    {
        var test = Framing(HeaderSets.Of(("X-Frame-Options", value)));

        Assert.Equal((result, modifier, passed), (test.Result, test.Modifier, test.Passed));
    }

    [Fact]
    public void Two_x_frame_options_headers_read_as_one_joined_value_and_are_invalid()
    {
        var test = Framing(HeaderSets.Of(("X-Frame-Options", "DENY"), ("X-Frame-Options", "DENY")));

        Assert.Equal(("x-frame-options-header-invalid", -20), (test.Result, test.Modifier));
    }

    [Fact]
    public void No_framing_control_costs_20()
    {
        Assert.Equal(-20, Framing([]).Modifier);
        Assert.Equal("x-frame-options-not-implemented", Framing(HeaderSets.Of(("Content-Security-Policy", "default-src 'self'"))).Result);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("DENY")]
    [InlineData("nonsense")]
    public void Csp_frame_ancestors_earns_the_bonus_with_or_without_x_frame_options(string? xfo)
    {
        var headers = HeaderSets.Of(("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"));
        if (xfo is not null)
        {
            headers.Add(new("X-Frame-Options", xfo));
        }

        Assert.Equal(("x-frame-options-implemented-via-csp", 5), (Framing(headers).Result, Framing(headers).Modifier));
    }

    [Fact]
    public void Frame_ancestors_in_an_unparseable_csp_does_not_count()
    {
        var headers = HeaderSets.Of(("Content-Security-Policy", "frame-ancestors 'none'; frame-ancestors 'self'"));

        Assert.Equal("x-frame-options-not-implemented", Framing(headers).Result);
    }

    private static ObservatoryTestResult Framing(List<KeyValuePair<string, string>> headers) =>
        ObservatoryGrader.Grade(headers).Tests.Single(t => t.Test == ObservatoryTest.XFrameOptions);
}
