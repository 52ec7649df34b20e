using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>The referrer-policy test: private values earn 5, leaky or unknown values cost 5, none is neutral.</summary>
public class ObservatoryReferrerPolicyTests
{
    [Theory]
    [InlineData("no-referrer", "referrer-policy-private", 5, true)]
    [InlineData("same-origin", "referrer-policy-private", 5, true)]
    [InlineData("strict-origin", "referrer-policy-private", 5, true)]
    [InlineData("Strict-Origin-When-Cross-Origin", "referrer-policy-private", 5, true)]
    [InlineData("origin", "referrer-policy-unsafe", -5, false)]
    [InlineData("origin-when-cross-origin", "referrer-policy-unsafe", -5, false)]
    [InlineData("unsafe-url", "referrer-policy-unsafe", -5, false)]
    [InlineData("no-referrer-when-downgrade", "referrer-policy-unsafe", -5, false)]
    [InlineData("everything", "referrer-policy-header-invalid", -5, false)]
    [InlineData("unsafe-url, strict-origin", "referrer-policy-private", 5, true)]
    [InlineData("no-referrer, made-up-future-value", "referrer-policy-private", 5, true)]
    public void The_last_recognised_value_decides(string value, string result, int modifier, bool passed)
    {
        Assert.Equal((result, modifier, passed), Test(HeaderSets.Of(("Referrer-Policy", value))));
    }

    [Fact]
    public void Several_headers_are_read_in_order()
    {
        Assert.Equal(("referrer-policy-unsafe", -5, false), Test(HeaderSets.Of(("Referrer-Policy", "no-referrer"), ("Referrer-Policy", "unsafe-url"))));
    }

    [Fact]
    public void A_missing_header_is_neutral_and_passes()
    {
        Assert.Equal(("referrer-policy-not-implemented", 0, true), Test([]));
    }

    private static (string, int, bool) Test(List<KeyValuePair<string, string>> headers)
    {
        var test = ObservatoryGrader.Grade(headers).Tests.Single(t => t.Test == ObservatoryTest.ReferrerPolicy);
        return (test.Result, test.Modifier, test.Passed);
    }
}
