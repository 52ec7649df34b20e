using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>The strict-transport-security test: six months is 15552000 seconds; preloading earns the bonus.</summary>
public class ObservatoryHstsTests
{
    [Theory]
    [InlineData("max-age=31536000; includeSubDomains; preload", "hsts-implemented-max-age-at-least-six-months", 0, true)]
    [InlineData("max-age=15552000", "hsts-implemented-max-age-at-least-six-months", 0, true)]
    [InlineData("MAX-AGE=\"15552000\"", "hsts-implemented-max-age-at-least-six-months", 0, true)]
    [InlineData("max-age=15551999", "hsts-implemented-max-age-less-than-six-months", -10, false)]
    [InlineData("max-age=0", "hsts-implemented-max-age-less-than-six-months", -10, false)]
    [InlineData("includeSubDomains; preload", "hsts-header-invalid", -20, false)]
    [InlineData("max-age=forever", "hsts-header-invalid", -20, false)]
    [InlineData("max-age=31536000, max-age=0", "hsts-header-invalid", -20, false)]
    public void Each_hsts_value_gets_the_observatory_result(string value, string result, int modifier, bool passed)
    {
        var test = Hsts(HeaderSets.Of(("Strict-Transport-Security", value)));

        Assert.Equal((result, modifier, passed), (test.Result, test.Modifier, test.Passed));
    }

    [Fact]
    public void Missing_hsts_costs_20()
    {
        Assert.Equal(("hsts-not-implemented", -20), (Hsts([]).Result, Hsts([]).Modifier));
    }

    [Fact]
    public void Two_hsts_headers_are_invalid()
    {
        var test = Hsts(HeaderSets.Of(("Strict-Transport-Security", "max-age=31536000"), ("Strict-Transport-Security", "max-age=31536000")));

        Assert.Equal("hsts-header-invalid", test.Result);
    }

    [Fact]
    public void A_preloaded_host_gets_the_bonus_whatever_the_header_says()
    {
        var withHeader = ObservatoryGrader.Grade(HeaderSets.PortalDefaults(), RedirectionOutcome.ToHttps, hstsPreloaded: true);
        var withoutHeader = ObservatoryGrader.Grade([], hstsPreloaded: true).Tests.Single(t => t.Test == ObservatoryTest.StrictTransportSecurity);

        Assert.Equal(120, withHeader.Score);
        Assert.Equal(("hsts-preloaded", 5, true), (withoutHeader.Result, withoutHeader.Modifier, withoutHeader.Passed));
    }

    [Fact]
    public void The_preload_directive_alone_earns_no_bonus()
    {
        Assert.Equal(0, Hsts(HeaderSets.Of(("Strict-Transport-Security", HeaderSets.StrictHsts))).Modifier);
    }

    private static ObservatoryTestResult Hsts(List<KeyValuePair<string, string>> headers) =>
        ObservatoryGrader.Grade(headers).Tests.Single(t => t.Test == ObservatoryTest.StrictTransportSecurity);
}
