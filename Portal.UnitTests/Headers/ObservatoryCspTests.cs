using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>The content-security-policy test gives the Observatory's result and modifier for each kind of policy.</summary>
public class ObservatoryCspTests
{
    [Theory]
    [InlineData("default-src 'self'", "csp-implemented-with-no-unsafe", 5, true)]
    [InlineData("default-src 'none'; img-src 'self'; style-src 'self'", "csp-implemented-with-no-unsafe-default-src-none", 10, true)]
    [InlineData("default-src 'self'; script-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline", -20, false)]
    [InlineData("default-src 'self'; script-src 'self' data:", "csp-implemented-with-unsafe-inline", -20, false)]
    [InlineData("default-src https:", "csp-implemented-with-unsafe-inline", -20, false)]
    [InlineData("default-src 'self'; object-src *", "csp-implemented-with-unsafe-inline", -20, false)]
    [InlineData("img-src 'self'; style-src 'self'", "csp-implemented-with-unsafe-inline", -20, false)]
    [InlineData("default-src 'self' http://cdn.example.com", "csp-implemented-with-insecure-scheme", -20, false)]
    [InlineData("default-src 'self' 'unsafe-eval'", "csp-implemented-with-unsafe-eval", -10, false)]
    [InlineData("default-src 'self'; img-src 'self' http://images.example.com", "csp-implemented-with-insecure-scheme-in-passive-content-only", -10, true)]
    [InlineData("default-src 'self'; style-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline-in-style-src-only", 0, true)]
    [InlineData("default-src 'self'; script-src 'nonce-r4nd0m' 'unsafe-inline'", "csp-implemented-with-no-unsafe", 5, true)]
    [InlineData("default-src 'self'; script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'self' 'unsafe-inline'", "csp-implemented-with-no-unsafe", 5, true)]
    [InlineData("default-src 'self'; script-src 'strict-dynamic'", "csp-header-invalid", -25, false)]
    [InlineData("default-src 'self'; default-src 'none'", "csp-header-invalid", -25, false)]
    [InlineData("a", "csp-header-invalid", -25, false)]
    [InlineData("", "csp-header-invalid", -25, false)]
    [InlineData("default-src 'self'; report-uri /a; report-uri /b", "csp-implemented-but-duplicate-directives", 0, true)]
    public void Each_kind_of_policy_gets_the_observatory_result(string csp, string result, int modifier, bool passed)
    {
        var test = CspTest(HeaderSets.Of(("Content-Security-Policy", csp)));

        Assert.Equal((result, modifier, passed), (test.Result, test.Modifier, test.Passed));
    }

    [Fact]
    public void No_csp_header_is_not_implemented()
    {
        Assert.Equal(("csp-not-implemented", -25), Pair(CspTest([])));
    }

    [Fact]
    public void A_report_only_policy_alone_enforces_nothing()
    {
        var test = CspTest(HeaderSets.Of(("Content-Security-Policy-Report-Only", "default-src 'self'")));

        Assert.Equal(("csp-not-implemented-but-reporting-enabled", -25), Pair(test));
    }

    [Fact]
    public void A_later_policy_cannot_loosen_an_earlier_one()
    {
        var separate = CspTest(HeaderSets.Of(("Content-Security-Policy", "default-src 'self'"), ("Content-Security-Policy", "script-src 'self' 'unsafe-inline'")));
        var joined = CspTest(HeaderSets.Of(("Content-Security-Policy", "default-src 'self', script-src 'self' 'unsafe-inline'")));

        Assert.Equal(("csp-implemented-with-no-unsafe", 5), Pair(separate));
        Assert.Equal(("csp-implemented-with-no-unsafe", 5), Pair(joined));
    }

    [Fact]
    public void A_source_both_policies_allow_still_counts()
    {
        var test = CspTest(HeaderSets.Of(
            ("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'"),
            ("Content-Security-Policy", "script-src 'unsafe-inline' https://cdn.example.com")));

        Assert.Equal(("csp-implemented-with-unsafe-inline", -20), Pair(test));
    }

    [Fact]
    public void Within_one_policy_a_source_that_extends_a_broader_one_is_ignored()
    {
        // https://cdn.example.com/x adds nothing to https: in the same policy; https: alone is too broad for scripts.
        var test = CspTest(HeaderSets.Of(("Content-Security-Policy", "default-src 'self'; script-src https: https://cdn.example.com/x")));

        Assert.Equal(("csp-implemented-with-unsafe-inline", -20), Pair(test));
    }

    [Fact]
    public void A_source_under_a_path_the_other_policy_allows_still_counts()
    {
        // The second policy's http://cdn.example.com/lib/a.js lies under the first's http://cdn.example.com/lib/.
        var test = CspTest(HeaderSets.Of(
            ("Content-Security-Policy", "default-src 'self'; script-src 'self' http://cdn.example.com/lib/"),
            ("Content-Security-Policy", "script-src http://cdn.example.com/lib/a.js")));

        Assert.Equal(("csp-implemented-with-insecure-scheme", -20), Pair(test));
    }

    [Fact]
    public void A_malformed_percent_escape_where_policies_are_compared_makes_the_header_invalid()
    {
        var test = CspTest(HeaderSets.Of(
            ("Content-Security-Policy", "default-src 'self'; img-src https://a.example.com/%zz"),
            ("Content-Security-Policy", "img-src https://a.example.com/%zz")));

        Assert.Equal(("csp-header-invalid", -25), Pair(test));
    }

    [Fact]
    public void The_grader_reads_policies_the_strict_parser_refuses()
    {
        // Tabs and an unknown directive: refused when typed into the portal, but real servers send such headers.
        var header = "default-src\t'self'; foo-src bar";
        Assert.False(ContentSecurityPolicy.Parse(header).IsValid);

        Assert.Equal(("csp-implemented-with-no-unsafe", 5), Pair(CspTest(HeaderSets.Of(("Content-Security-Policy", header)))));
    }

    private static (string, int) Pair(ObservatoryTestResult test) => (test.Result, test.Modifier);

    private static ObservatoryTestResult CspTest(List<KeyValuePair<string, string>> headers) =>
        ObservatoryGrader.Grade(headers).Tests.Single(t => t.Test == ObservatoryTest.ContentSecurityPolicy);
}
