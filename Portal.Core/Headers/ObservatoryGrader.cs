namespace Portal.Core.Headers;

/// <summary>The MDN HTTP Observatory tests this grader runs; the names match the Observatory's test names.</summary>
public enum ObservatoryTest
{
    /// <summary><c>content-security-policy</c></summary>
    ContentSecurityPolicy,

    /// <summary><c>strict-transport-security</c></summary>
    StrictTransportSecurity,

    /// <summary><c>x-frame-options</c> (passes through CSP <c>frame-ancestors</c> too)</summary>
    XFrameOptions,

    /// <summary><c>x-content-type-options</c></summary>
    XContentTypeOptions,

    /// <summary><c>referrer-policy</c></summary>
    ReferrerPolicy,

    /// <summary><c>redirection</c></summary>
    Redirection,
}

/// <summary>What a plain-HTTP request to the site did, in the Observatory's terms (see <see cref="ObservatoryGrader.ClassifyRedirects"/>).</summary>
public enum RedirectionOutcome
{
    /// <summary>The first redirect goes to HTTPS on the same host and the last URL is HTTPS.</summary>
    ToHttps,

    /// <summary>Every host in the redirect chain is on the HSTS preload list.</summary>
    AllRedirectsPreloaded,

    /// <summary>Nothing answers on plain HTTP, so there is nothing to redirect.</summary>
    NotNeededNoHttp,

    /// <summary>The first redirect goes to HTTPS on another host, so the browser never sees this host's HSTS.</summary>
    OffHostFromHttp,

    /// <summary>HTTPS is reached in the end, but the first redirect goes to another HTTP URL.</summary>
    NotToHttpsOnInitialRedirection,

    /// <summary>Plain HTTP answers without redirecting to HTTPS.</summary>
    Missing,

    /// <summary>The redirects end on an HTTP URL.</summary>
    NotToHttps,

    /// <summary>A certificate in the redirect chain is not valid.</summary>
    InvalidCert,
}

/// <summary>One test's outcome: the Observatory's result name, its score modifier, and what it means for the site.</summary>
/// <param name="Result">The Observatory's result name, e.g. <c>csp-implemented-with-unsafe-inline</c>.</param>
/// <param name="Modifier">Points added to (bonus) or taken from (penalty) the baseline of 100.</param>
/// <param name="Reason">What was found, in a sentence.</param>
/// <param name="Advice">What would raise the score, or empty when nothing would.</param>
public sealed record ObservatoryTestResult(ObservatoryTest Test, string Result, int Modifier, bool Passed, string Reason, string Advice);

/// <summary>The overall grade: score, letter, and every test with its modifier, so a person can see what lowers it.</summary>
public sealed record ObservatoryGrade(int Score, string Grade, IReadOnlyList<ObservatoryTestResult> Tests)
{
    /// <summary>The tests that cost points, worst first.</summary>
    public IReadOnlyList<ObservatoryTestResult> Penalties => [.. Tests.Where(t => t.Modifier < 0).OrderBy(t => t.Modifier)];
}

/// <summary>
/// Grades response headers the way the MDN HTTP Observatory does, for the tests that depend on headers and
/// redirects alone.
/// </summary>
/// <remarks>
/// Scoring source: MDN HTTP Observatory, "Tests &amp; Scoring"
/// (https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring), and its implementation in
/// https://github.com/mdn/mdn-http-observatory (src/grader/charts.js for the modifiers and grade chart,
/// src/scanner/index.js for the two scoring rounds, src/analyzer/tests/*.js for each test). Every site starts at
/// 100; penalties are applied first, and bonuses are added only if the score after penalties is 90 or more; the
/// score never goes below 0; the letter comes from the score rounded down to a multiple of 5 (100 and above is A+).
/// <para>
/// Only header-based tests run here: content-security-policy, strict-transport-security, x-frame-options,
/// x-content-type-options, referrer-policy, and redirection when its outcome is given. The Observatory's cookie,
/// CORS, subresource-integrity and cross-origin-resource-policy tests need the page body or cookies; for a static
/// site without cookies or third-party scripts they score 0 and are left out. The headers are assumed to come from
/// an HTTPS response with a valid certificate (the health checks test TLS separately). Several fields with the same
/// name are joined with ", " before grading, as RFC 9110 section 5.3 allows and as the Observatory's HTTP client
/// delivers them: a repeated HSTS or X-Frame-Options header is then invalid, while CSP and Referrer-Policy read every
/// value. One deliberate difference: a non-numeric HSTS
/// <c>max-age</c> is invalid here, where the Observatory's <c>parseInt</c> turns it into NaN and lets it pass.
/// </para>
/// </remarks>
public static class ObservatoryGrader
{
    private const int Baseline = 100;
    private const int MinimumScoreForBonus = 90;

    /// <summary>The Observatory counts 15552000 seconds (180 days) as six months; it says many sites use that figure.</summary>
    private const long SixMonths = 15_552_000;

    private static readonly Dictionary<string, (int Modifier, string Reason, string Advice)> ScoreTable = new(StringComparer.Ordinal)
    {
        // Content Security Policy
        ["csp-implemented-with-no-unsafe-default-src-none"] = (10, "A CSP is set with default-src 'none' and without 'unsafe-inline' or 'unsafe-eval'.", ""),
        ["csp-implemented-with-no-unsafe"] = (5, "A CSP is set without 'unsafe-inline' or 'unsafe-eval'.", "Set default-src to 'none' and allow each kind of content explicitly for the top CSP bonus."),
        ["csp-implemented-with-unsafe-inline-in-style-src-only"] = (0, "A CSP is set, but style-src allows 'unsafe-inline', data: or a whole scheme.", "Remove 'unsafe-inline', data: and broad sources from style-src."),
        ["csp-implemented-with-insecure-scheme-in-passive-content-only"] = (-10, "A CSP is set, but images or media may load over plain HTTP.", "Allow images and media only over HTTPS in img-src, media-src or default-src."),
        ["csp-implemented-with-unsafe-eval"] = (-10, "A CSP is set, but it allows 'unsafe-eval'.", "Stop using eval() and remove 'unsafe-eval'."),
        ["csp-implemented-with-unsafe-inline"] = (-20, "A CSP is set but does not stop script injection: script-src allows 'unsafe-inline', data: or a whole scheme, object-src is broad, or script-src/object-src is not restricted at all.", "Remove 'unsafe-inline' and data: from script-src, remove broad sources from script-src and object-src, and set both (or default-src)."),
        ["csp-implemented-with-insecure-scheme"] = (-20, "A CSP is set, but it lets resources load over plain HTTP.", "Remove http: and ftp: sources from the CSP."),
        ["csp-header-invalid"] = (-25, "The CSP header cannot be parsed.", "Fix the CSP syntax: no repeated directives, 'strict-dynamic' only with a nonce or hash."),
        ["csp-not-implemented"] = (-25, "No Content-Security-Policy header is set.", "Set a Content-Security-Policy, e.g. default-src 'self'; object-src 'none'; frame-ancestors 'none'."),
        ["csp-not-implemented-but-reporting-enabled"] = (-25, "Only Content-Security-Policy-Report-Only is set, so nothing is enforced.", "Send the policy as Content-Security-Policy to enforce it."),
        ["csp-implemented-but-duplicate-directives"] = (0, "A CSP is set, but report-uri or report-to appears more than once.", "Remove the repeated directive."),

        // Strict Transport Security
        ["hsts-preloaded"] = (5, "The site is on the HSTS preload list.", ""),
        ["hsts-implemented-max-age-at-least-six-months"] = (0, "Strict-Transport-Security is set for at least six months.", "Add includeSubDomains and preload with max-age of at least a year, and submit the site to the HSTS preload list."),
        ["hsts-implemented-max-age-less-than-six-months"] = (-10, "Strict-Transport-Security is set for less than six months.", "Raise max-age to at least 15552000 seconds (a year, 31536000, is better)."),
        ["hsts-not-implemented"] = (-20, "No Strict-Transport-Security header is set.", "Set Strict-Transport-Security: max-age=31536000; includeSubDomains; preload."),
        ["hsts-header-invalid"] = (-20, "The Strict-Transport-Security header cannot be understood.", "Send one Strict-Transport-Security header with a numeric max-age."),

        // X-Frame-Options
        ["x-frame-options-implemented-via-csp"] = (5, "Framing is controlled by the CSP frame-ancestors directive.", ""),
        ["x-frame-options-sameorigin-or-deny"] = (0, "X-Frame-Options is DENY or SAMEORIGIN.", "Also set frame-ancestors in the CSP for the bonus."),
        ["x-frame-options-allow-from-origin"] = (0, "X-Frame-Options uses ALLOW-FROM, which browsers ignore.", "Use frame-ancestors in the CSP instead."),
        ["x-frame-options-not-implemented"] = (-20, "Neither X-Frame-Options nor CSP frame-ancestors is set, so other sites can frame this one (clickjacking).", "Set frame-ancestors 'none' in the CSP, or X-Frame-Options: DENY."),
        ["x-frame-options-header-invalid"] = (-20, "The X-Frame-Options header cannot be understood.", "Use X-Frame-Options: DENY, or frame-ancestors in the CSP."),

        // X-Content-Type-Options
        ["x-content-type-options-nosniff"] = (0, "X-Content-Type-Options is nosniff.", ""),
        ["x-content-type-options-not-implemented"] = (-5, "No X-Content-Type-Options header is set.", "Set X-Content-Type-Options: nosniff."),
        ["x-content-type-options-header-invalid"] = (-5, "The X-Content-Type-Options header is not nosniff.", "Set X-Content-Type-Options: nosniff."),

        // Referrer Policy
        ["referrer-policy-private"] = (5, "Referrer-Policy keeps URLs private (no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin).", ""),
        ["referrer-policy-not-implemented"] = (0, "No Referrer-Policy header is set.", "Set Referrer-Policy: strict-origin-when-cross-origin for the bonus."),
        ["referrer-policy-unsafe"] = (-5, "Referrer-Policy sends full URLs or origins to other sites (origin, origin-when-cross-origin, unsafe-url or no-referrer-when-downgrade).", "Use strict-origin-when-cross-origin or stricter."),
        ["referrer-policy-header-invalid"] = (-5, "The Referrer-Policy header has no recognised value.", "Use strict-origin-when-cross-origin or stricter."),

        // Redirection
        ["redirection-all-redirects-preloaded"] = (0, "Every host in the redirect chain is on the HSTS preload list.", ""),
        ["redirection-to-https"] = (0, "Plain HTTP redirects to HTTPS on the same host first.", ""),
        ["redirection-not-needed-no-http"] = (0, "Nothing answers on plain HTTP, so no redirect is needed.", ""),
        ["redirection-off-host-from-http"] = (-5, "Plain HTTP redirects straight to another host, so this host's HSTS is never seen.", "Redirect to HTTPS on the same host first, then to the other host."),
        ["redirection-not-to-https-on-initial-redirection"] = (-10, "Plain HTTP first redirects to another HTTP URL before reaching HTTPS.", "Redirect to HTTPS on the same host first."),
        ["redirection-missing"] = (-20, "Plain HTTP does not redirect to HTTPS.", "Redirect every plain-HTTP request to HTTPS on the same host."),
        ["redirection-not-to-https"] = (-20, "The redirects end on a plain-HTTP URL.", "Redirect to HTTPS on the same host first."),
        ["redirection-invalid-cert"] = (-20, "A certificate in the redirect chain is not valid.", "Serve a valid certificate on every host in the chain."),
    };

    /// <summary>
    /// Grades <paramref name="responseHeaders"/> (names case-insensitive; a name may repeat) from an HTTPS response.
    /// </summary>
    /// <param name="redirection">What plain HTTP did; null leaves the redirection test out of the grade.</param>
    /// <param name="hstsPreloaded">Whether the host is on the browsers' HSTS preload list (the Observatory checks the list, not the header's preload flag).</param>
    public static ObservatoryGrade Grade(
        IEnumerable<KeyValuePair<string, string>> responseHeaders,
        RedirectionOutcome? redirection = null,
        bool hstsPreloaded = false)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        var headers = responseHeaders
            .Where(h => h.Key is not null)
            .GroupBy(h => h.Key.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value ?? "")), StringComparer.OrdinalIgnoreCase);

        var csp = ObservatoryCsp.Evaluate(Value(headers, "Content-Security-Policy"), Value(headers, "Content-Security-Policy-Report-Only"));
        var tests = new List<ObservatoryTestResult>
        {
            Result(ObservatoryTest.ContentSecurityPolicy, csp.Result, csp.Passed),
            StrictTransportSecurity(Value(headers, "Strict-Transport-Security"), hstsPreloaded),
            XFrameOptions(Value(headers, "X-Frame-Options"), csp.HasFrameAncestors),
            XContentTypeOptions(Value(headers, "X-Content-Type-Options")),
            ReferrerPolicy(Value(headers, "Referrer-Policy")),
        };

        if (redirection is { } outcome)
        {
            tests.Add(Redirection(outcome));
        }

        return new ObservatoryGrade(Score(tests), GradeFor(Score(tests)), tests);
    }

    /// <summary>The letter for a score, from the Observatory's grading chart.</summary>
    public static string GradeFor(int score) => Math.Max(score, 0) switch
    {
        >= 100 => "A+",
        >= 90 => "A",
        >= 85 => "A-",
        >= 80 => "B+",
        >= 70 => "B",
        >= 65 => "B-",
        >= 60 => "C+",
        >= 50 => "C",
        >= 45 => "C-",
        >= 40 => "D+",
        >= 30 => "D",
        >= 25 => "D-",
        _ => "F",
    };

    /// <summary>
    /// Classifies the URLs a client visited after requesting the site over plain HTTP: the requested
    /// <c>http://</c> URL first, then each redirect target, the final URL last. The Observatory's rules, in order:
    /// no redirect is <see cref="RedirectionOutcome.Missing"/>; a final HTTP URL is
    /// <see cref="RedirectionOutcome.NotToHttps"/>; a first hop to HTTP is
    /// <see cref="RedirectionOutcome.NotToHttpsOnInitialRedirection"/>; a first hop to HTTPS on another host is
    /// <see cref="RedirectionOutcome.OffHostFromHttp"/>; anything else is <see cref="RedirectionOutcome.ToHttps"/>.
    /// </summary>
    public static RedirectionOutcome ClassifyRedirects(IReadOnlyList<Uri> route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Count == 0)
        {
            throw new ArgumentException("The route must start with the plain-HTTP URL that was requested.", nameof(route));
        }

        if (route.Count == 1)
        {
            return RedirectionOutcome.Missing;
        }

        if (route[^1].Scheme != Uri.UriSchemeHttps)
        {
            return RedirectionOutcome.NotToHttps;
        }

        if (route[1].Scheme == Uri.UriSchemeHttp)
        {
            return RedirectionOutcome.NotToHttpsOnInitialRedirection;
        }

        return route[0].Scheme == Uri.UriSchemeHttp && !string.Equals(route[0].Host, route[1].Host, StringComparison.OrdinalIgnoreCase)
            ? RedirectionOutcome.OffHostFromHttp
            : RedirectionOutcome.ToHttps;
    }

    /// <summary>Penalties first; bonuses only when the score after penalties is still an A (90 or more); never below 0.</summary>
    private static int Score(List<ObservatoryTestResult> tests)
    {
        var afterPenalties = Baseline + tests.Where(t => t.Modifier < 0).Sum(t => t.Modifier);
        var withBonuses = Baseline + tests.Sum(t => t.Modifier);
        return Math.Max(0, afterPenalties >= MinimumScoreForBonus ? withBonuses : afterPenalties);
    }

    private static string? Value(Dictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value : null;

    private static ObservatoryTestResult Result(ObservatoryTest test, string result, bool passed)
    {
        var (modifier, reason, advice) = ScoreTable[result];
        return new ObservatoryTestResult(test, result, modifier, passed, reason, advice);
    }

    private static ObservatoryTestResult StrictTransportSecurity(string? value, bool preloaded)
    {
        var result = value is null ? "hsts-not-implemented" : HstsResult(Cap(value, 1024));

        if (preloaded)
        {
            result = "hsts-preloaded";
        }

        return Result(ObservatoryTest.StrictTransportSecurity, result, result is "hsts-preloaded" or "hsts-implemented-max-age-at-least-six-months");
    }

    private static string HstsResult(string header)
    {
        // A comma means the header was sent more than once.
        if (header.Contains(',', StringComparison.Ordinal))
        {
            return "hsts-header-invalid";
        }

        long? maxAge = null;
        foreach (var directive in header.Split(';').Select(d => d.Trim().ToLowerInvariant()))
        {
            if (directive.StartsWith("max-age=", StringComparison.Ordinal))
            {
                var value = directive["max-age=".Length..].Trim('"');
                if (value.Length is 0 or > 18 || !value.All(char.IsAsciiDigit))
                {
                    return "hsts-header-invalid";
                }

                maxAge = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return maxAge switch
        {
            null => "hsts-header-invalid",
            < SixMonths => "hsts-implemented-max-age-less-than-six-months",
            _ => "hsts-implemented-max-age-at-least-six-months",
        };
    }

    private static ObservatoryTestResult XFrameOptions(string? header, bool cspFrameAncestors)
    {
        var result = "x-frame-options-not-implemented";
        if (header is not null)
        {
            var value = Cap(header, 1024).Trim().ToLowerInvariant();
            result = value is "deny" or "sameorigin"
                ? "x-frame-options-sameorigin-or-deny"
                : value.StartsWith("allow-from", StringComparison.Ordinal) ? "x-frame-options-allow-from-origin" : "x-frame-options-header-invalid";
        }

        if (cspFrameAncestors)
        {
            result = "x-frame-options-implemented-via-csp";
        }

        return Result(ObservatoryTest.XFrameOptions, result, result is not ("x-frame-options-not-implemented" or "x-frame-options-header-invalid"));
    }

    private static ObservatoryTestResult XContentTypeOptions(string? header)
    {
        var result = header is null
            ? "x-content-type-options-not-implemented"
            : string.Equals(Cap(header, 256).Trim(), "nosniff", StringComparison.OrdinalIgnoreCase)
                ? "x-content-type-options-nosniff"
                : "x-content-type-options-header-invalid";
        return Result(ObservatoryTest.XContentTypeOptions, result, result == "x-content-type-options-nosniff");
    }

    private static readonly string[] PrivateReferrerPolicies = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];
    private static readonly string[] UnsafeReferrerPolicies = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"];

    /// <summary>Browsers use the last value they recognise, so the Observatory does too.</summary>
    private static ObservatoryTestResult ReferrerPolicy(string? header)
    {
        string result;
        if (header is null)
        {
            result = "referrer-policy-not-implemented";
        }
        else
        {
            var last = header.Split(',')
                .Select(v => v.Trim().ToLowerInvariant())
                .LastOrDefault(v => PrivateReferrerPolicies.Contains(v) || UnsafeReferrerPolicies.Contains(v));
            result = last is null
                ? "referrer-policy-header-invalid"
                : PrivateReferrerPolicies.Contains(last) ? "referrer-policy-private" : "referrer-policy-unsafe";
        }

        return Result(ObservatoryTest.ReferrerPolicy, result, result is "referrer-policy-private" or "referrer-policy-not-implemented");
    }

    private static ObservatoryTestResult Redirection(RedirectionOutcome outcome)
    {
        var result = outcome switch
        {
            RedirectionOutcome.ToHttps => "redirection-to-https",
            RedirectionOutcome.AllRedirectsPreloaded => "redirection-all-redirects-preloaded",
            RedirectionOutcome.NotNeededNoHttp => "redirection-not-needed-no-http",
            RedirectionOutcome.OffHostFromHttp => "redirection-off-host-from-http",
            RedirectionOutcome.NotToHttpsOnInitialRedirection => "redirection-not-to-https-on-initial-redirection",
            RedirectionOutcome.Missing => "redirection-missing",
            RedirectionOutcome.NotToHttps => "redirection-not-to-https",
            RedirectionOutcome.InvalidCert => "redirection-invalid-cert",
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown redirection outcome."),
        };
        return Result(ObservatoryTest.Redirection, result, ScoreTable[result].Modifier == 0);
    }

    /// <summary>The Observatory reads at most this many characters of a header, as a guard against huge values.</summary>
    private static string Cap(string value, int length) => value.Length > length ? value[..length] : value;
}
