using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>The x-content-type-options test: only nosniff passes.</summary>
public class ObservatoryContentTypeOptionsTests
{
    [Theory]
    [InlineData("nosniff", "x-content-type-options-nosniff", 0)]
    [InlineData("NoSniff ", "x-content-type-options-nosniff", 0)]
    [InlineData("sniff", "x-content-type-options-header-invalid", -5)]
    [InlineData("nosniff, nosniff", "x-content-type-options-header-invalid", -5)]
    public void Each_value_gets_the_observatory_result(string value, string result, int modifier)
    {
        Assert.Equal((result, modifier), Test(HeaderSets.Of(("X-Content-Type-Options", value))));
    }

    [Fact]
    public void A_missing_header_costs_5()
    {
        Assert.Equal(("x-content-type-options-not-implemented", -5), Test([]));
    }

    private static (string, int) Test(List<KeyValuePair<string, string>> headers)
    {
        var test = ObservatoryGrader.Grade(headers).Tests.Single(t => t.Test == ObservatoryTest.XContentTypeOptions);
        return (test.Result, test.Modifier);
    }
}
