using Portal.Core.Headers;

namespace Portal.Tests.Headers;

/// <summary>
/// Whole grades for known header sets. Expected figures come from the MDN HTTP Observatory scoring table
/// (baseline 100; csp-implemented-with-no-unsafe +5, x-frame-options-implemented-via-csp +5, referrer-policy-private +5,
/// csp-not-implemented -25, hsts-not-implemented -20, x-frame-options-not-implemented -20,
/// x-content-type-options-not-implemented -5, redirection-missing -20; bonuses only at 90 or more).
/// </summary>
public class ObservatoryOverallGradeTests
{
    [Fact]
    public void The_portal_default_headers_with_an_https_redirect_get_A_plus_115()
    {
        var grade = ObservatoryGrader.Grade(HeaderSets.PortalDefaults(), RedirectionOutcome.ToHttps);

        Assert.Equal(115, grade.Score); // 100 + 5 (CSP) + 5 (frame-ancestors) + 5 (Referrer-Policy)
        Assert.Equal("A+", grade.Grade);
        Assert.Empty(grade.Penalties);
        Assert.All(grade.Tests, t => Assert.True(t.Passed, t.Result));
        Assert.Equal(
            [
                (ObservatoryTest.ContentSecurityPolicy, "csp-implemented-with-no-unsafe", 5),
                (ObservatoryTest.StrictTransportSecurity, "hsts-implemented-max-age-at-least-six-months", 0),
                (ObservatoryTest.XFrameOptions, "x-frame-options-implemented-via-csp", 5),
                (ObservatoryTest.XContentTypeOptions, "x-content-type-options-nosniff", 0),
                (ObservatoryTest.ReferrerPolicy, "referrer-policy-private", 5),
                (ObservatoryTest.Redirection, "redirection-to-https", 0),
            ],
            grade.Tests.Select(t => (t.Test, t.Result, t.Modifier)));
    }

    [Fact]
    public void No_headers_and_no_https_redirect_is_an_F_at_10()
    {
        var grade = ObservatoryGrader.Grade([], RedirectionOutcome.Missing);

        Assert.Equal(10, grade.Score); // 100 - 25 - 20 - 20 - 5 - 20
        Assert.Equal("F", grade.Grade);
        Assert.Equal(
            [
                ("csp-not-implemented", -25),
                ("hsts-not-implemented", -20),
                ("x-frame-options-not-implemented", -20),
                ("redirection-missing", -20),
                ("x-content-type-options-not-implemented", -5),
            ],
            grade.Penalties.Select(p => (p.Result, p.Modifier)));
    }

    [Fact]
    public void No_headers_with_an_https_redirect_is_a_D_at_30()
    {
        var grade = ObservatoryGrader.Grade([], RedirectionOutcome.ToHttps);

        Assert.Equal(30, grade.Score); // 100 - 25 - 20 - 20 - 5
        Assert.Equal("D", grade.Grade);
    }

    [Fact]
    public void Without_a_redirection_outcome_the_redirection_test_is_left_out()
    {
        var grade = ObservatoryGrader.Grade(HeaderSets.PortalDefaults());

        Assert.DoesNotContain(grade.Tests, t => t.Test == ObservatoryTest.Redirection);
        Assert.Equal(115, grade.Score);
    }

    [Fact]
    public void Bonuses_are_withheld_when_penalties_take_the_score_below_90()
    {
        // Missing HSTS (-20) leaves 80 after penalties, so the three +5 bonuses do not count: 80, B+.
        var grade = ObservatoryGrader.Grade(HeaderSets.DefaultsWith("Strict-Transport-Security", null), RedirectionOutcome.ToHttps);

        Assert.Equal(80, grade.Score);
        Assert.Equal("B+", grade.Grade);
        Assert.Equal([-20], grade.Penalties.Select(p => p.Modifier));
    }

    [Fact]
    public void Bonuses_count_when_penalties_leave_exactly_90()
    {
        // HSTS under six months (-10) leaves 90, so the bonuses apply: 90 + 15 = 105, A+.
        var grade = ObservatoryGrader.Grade(HeaderSets.DefaultsWith("Strict-Transport-Security", "max-age=86400"), RedirectionOutcome.ToHttps);

        Assert.Equal(105, grade.Score);
        Assert.Equal("A+", grade.Grade);
    }

    [Fact]
    public void Penalties_list_the_worst_first_so_the_ui_can_say_what_lowers_the_grade()
    {
        var grade = ObservatoryGrader.Grade(
            HeaderSets.Of(("Content-Security-Policy", "default-src 'self' 'unsafe-eval'"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "unsafe-url")),
            RedirectionOutcome.OffHostFromHttp);

        // 100 - 10 (unsafe-eval) - 20 (no HSTS) - 5 (no nosniff) - 5 (unsafe referrer) - 5 (off-host redirect) = 55, C.
        Assert.Equal(55, grade.Score);
        Assert.Equal("C", grade.Grade);
        Assert.Equal([-20, -10, -5, -5, -5], grade.Penalties.Select(p => p.Modifier));
        Assert.All(grade.Penalties, p => Assert.False(string.IsNullOrEmpty(p.Reason)));
        Assert.All(grade.Penalties, p => Assert.False(string.IsNullOrEmpty(p.Advice)));
    }

    [Fact]
    public void Header_names_are_matched_without_case()
    {
        var lower = HeaderSets.PortalDefaults().Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value));

        Assert.Equal(115, ObservatoryGrader.Grade(lower, RedirectionOutcome.ToHttps).Score);
    }
}
