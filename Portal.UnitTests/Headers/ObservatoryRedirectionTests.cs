using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>The redirection test: outcomes, their modifiers, and how a visited route is classified.</summary>
public class ObservatoryRedirectionTests
{
    [Theory]
    [InlineData(RedirectionOutcome.ToHttps, "redirection-to-https", 0, true)]
    [InlineData(RedirectionOutcome.AllRedirectsPreloaded, "redirection-all-redirects-preloaded", 0, true)]
    [InlineData(RedirectionOutcome.NotNeededNoHttp, "redirection-not-needed-no-http", 0, true)]
    [InlineData(RedirectionOutcome.OffHostFromHttp, "redirection-off-host-from-http", -5, false)]
    [InlineData(RedirectionOutcome.NotToHttpsOnInitialRedirection, "redirection-not-to-https-on-initial-redirection", -10, false)]
    [InlineData(RedirectionOutcome.Missing, "redirection-missing", -20, false)]
    [InlineData(RedirectionOutcome.NotToHttps, "redirection-not-to-https", -20, false)]
    [InlineData(RedirectionOutcome.InvalidCert, "redirection-invalid-cert", -20, false)]
    public void Each_outcome_has_the_observatory_modifier(RedirectionOutcome outcome, string result, int modifier, bool passed)
    {
        var test = ObservatoryGrader.Grade([], outcome).Tests.Single(t => t.Test == ObservatoryTest.Redirection);

        Assert.Equal((result, modifier, passed), (test.Result, test.Modifier, test.Passed));
    }

    [Theory]
    [InlineData(RedirectionOutcome.Missing, "http://docs.example.com/")]
    [InlineData(RedirectionOutcome.ToHttps, "http://docs.example.com/", "https://docs.example.com/")]
    [InlineData(RedirectionOutcome.ToHttps, "http://docs.example.com/", "https://DOCS.example.com/", "https://www.example.com/")]
    [InlineData(RedirectionOutcome.OffHostFromHttp, "http://docs.example.com/", "https://www.example.com/")]
    [InlineData(RedirectionOutcome.NotToHttpsOnInitialRedirection, "http://docs.example.com/", "http://www.example.com/", "https://www.example.com/")]
    [InlineData(RedirectionOutcome.NotToHttps, "http://docs.example.com/", "https://docs.example.com/", "http://docs.example.com/x")]
    public void A_route_is_classified_by_its_first_hop_and_its_end(RedirectionOutcome expected, params string[] route)
    {
        Assert.Equal(expected, ObservatoryGrader.ClassifyRedirects([.. route.Select(u => new Uri(u))]));
    }
}
