namespace Portal.Core.Headers;

/// <summary>
/// The MDN HTTP Observatory's reading of Content-Security-Policy headers (src/analyzer/cspParser.js and
/// src/analyzer/tests/csp.js in https://github.com/mdn/mdn-http-observatory). It is deliberately lenient, unlike
/// <see cref="ContentSecurityPolicy.Parse"/>: it grades whatever a server sends, as the Observatory would.
/// </summary>
internal static class ObservatoryCsp
{
    public sealed record Evaluation(string Result, bool Passed, bool HasFrameAncestors);

    /// <summary>"img-src".Length - 1: the Observatory treats anything shorter as an invalid policy.</summary>
    private const int ShortestPolicy = 6;

    private static readonly HashSet<string> DangerouslyBroad = new(StringComparer.Ordinal)
    {
        "ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*",
    };

    private static readonly HashSet<string> UnsafeInline = new(StringComparer.Ordinal) { "'unsafe-inline'", "data:" };

    private static readonly string[] NoncesAndHashes = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

    private static readonly string[] PassiveDirectives = ["img-src", "media-src"];

    private static readonly string[] PassingResults =
    [
        "csp-implemented-with-no-unsafe", "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only", "csp-implemented-with-insecure-scheme-in-passive-content-only",
    ];

    public static Evaluation Evaluate(IReadOnlyList<string> headerValues, IReadOnlyList<string> reportOnlyValues)
    {
        // RFC 9110 section 5.3 lets a client join repeated fields with commas; CSP3 section 2.2 makes a comma a
        // policy separator, so splitting on commas recovers every policy either way.
        var policies = headerValues.SelectMany(v => v.Split(',')).Select(p => p.Trim()).ToList();
        if (policies.Count == 0)
        {
            return NotImplemented(reportOnlyValues);
        }

        if (Parse(policies) is not { } parsed)
        {
            return new("csp-header-invalid", false, false);
        }

        var (csp, duplicateReporting) = parsed;
        if (csp.Count == 0)
        {
            return NotImplemented(reportOnlyValues);
        }

        string? result = null;
        var fallback = csp.GetValueOrDefault("default-src");
        var objectSrc = csp.GetValueOrDefault("object-src") ?? fallback ?? ["*"];
        var scriptSrc = csp.GetValueOrDefault("script-src") ?? fallback ?? ["*"];
        var styleSrc = csp.GetValueOrDefault("style-src") ?? fallback ?? ["*"];

        // A nonce or hash makes browsers ignore 'unsafe-inline'. The sets may be shared with default-src, exactly as
        // in the Observatory, so removing it from one removes it from all that share it.
        foreach (var sources in new[] { scriptSrc, styleSrc })
        {
            if (HasNonceOrHash(sources))
            {
                sources.Remove("'unsafe-inline'");
            }
        }

        if (HasNonceOrHash(scriptSrc) && scriptSrc.Contains("'strict-dynamic'"))
        {
            scriptSrc.RemoveWhere(s => DangerouslyBroad.Any(b => s.StartsWith(b, StringComparison.Ordinal)) || s is "'self'" or "'unsafe-inline'");
        }
        else if (scriptSrc.Contains("'strict-dynamic'"))
        {
            result = "csp-header-invalid";
        }

        var active = csp.Where(d => !PassiveDirectives.Contains(d.Key) && d.Key != "script-src")
            .SelectMany(d => d.Value)
            .Concat(scriptSrc)
            .ToList();
        var passive = PassiveDirectives.SelectMany(d => csp.GetValueOrDefault(d) ?? fallback ?? []).ToList();

        if (scriptSrc.Any(s => DangerouslyBroad.Contains(s) || UnsafeInline.Contains(s)) || objectSrc.Any(DangerouslyBroad.Contains))
        {
            result ??= "csp-implemented-with-unsafe-inline";
        }

        // The grader assumes an HTTPS site, so any plain-HTTP or FTP source is insecure.
        if (active.Any(IsInsecureScheme))
        {
            result ??= "csp-implemented-with-insecure-scheme";
        }

        if (scriptSrc.Contains("'unsafe-eval'") || styleSrc.Contains("'unsafe-eval'"))
        {
            result ??= "csp-implemented-with-unsafe-eval";
        }

        if (passive.Any(IsInsecureScheme))
        {
            result ??= "csp-implemented-with-insecure-scheme-in-passive-content-only";
        }

        if (styleSrc.Any(s => DangerouslyBroad.Contains(s) || UnsafeInline.Contains(s)))
        {
            result ??= "csp-implemented-with-unsafe-inline-in-style-src-only";
        }

        result ??= fallback is { Count: 1 } && fallback.Contains("'none'")
            ? "csp-implemented-with-no-unsafe-default-src-none"
            : "csp-implemented-with-no-unsafe";

        var passed = PassingResults.Contains(result);
        if (passed && duplicateReporting)
        {
            result = "csp-implemented-but-duplicate-directives";
        }

        return new(result, passed, csp.ContainsKey("frame-ancestors"));
    }

    private static Evaluation NotImplemented(IReadOnlyList<string> reportOnlyValues) =>
        reportOnlyValues.Any(v => v.Length > 0)
            ? new("csp-not-implemented-but-reporting-enabled", false, false)
            : new("csp-not-implemented", false, false);

    private static bool HasNonceOrHash(HashSet<string> sources) =>
        sources.Any(s => NoncesAndHashes.Any(n => s.StartsWith(n, StringComparison.Ordinal)));

    private static bool IsInsecureScheme(string source) =>
        source.StartsWith("http:", StringComparison.Ordinal) || source.StartsWith("ftp:", StringComparison.Ordinal);

    /// <summary>
    /// Directive name to sources, lower-cased; null when the Observatory would call the header invalid (an empty or
    /// very short policy, or a directive repeated within one policy other than report-uri/report-to).
    /// </summary>
    private static (Dictionary<string, HashSet<string>> Csp, bool DuplicateReporting)? Parse(List<string> policies)
    {
        var combined = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var duplicateReporting = false;
        for (var index = 0; index < policies.Count; index++)
        {
            var policy = policies[index].Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();
            if (policy.Length < ShortestPolicy)
            {
                return null;
            }

            var current = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var entry in policy.Split(';'))
            {
                var tokens = entry.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0)
                {
                    continue;
                }

                var directive = tokens[0].ToLowerInvariant();
                if (current.ContainsKey(directive))
                {
                    if (directive is "report-uri" or "report-to")
                    {
                        duplicateReporting = true;
                        continue;
                    }

                    return null;
                }

                var sources = tokens[1..].Select(t => t.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
                if (sources.Count == 0 && directive.EndsWith("-src", StringComparison.Ordinal))
                {
                    sources.Add("'none'");
                }

                // Within one policy a source that extends another (https://example.com/foo after https:) adds nothing.
                sources.RemoveWhere(s => sources.Any(other => other.Length < s.Length && s.StartsWith(other, StringComparison.Ordinal)));
                current[directive] = sources;
            }

            foreach (var (directive, sources) in current)
            {
                if (index == 0)
                {
                    combined[directive] = sources;
                }
                else
                {
                    // Content must satisfy every policy, so a later policy narrows a directive to what both allow;
                    // the Observatory likewise gives a directive first seen in a later policy nothing from earlier ones.
                    var earlier = combined.GetValueOrDefault(directive) ?? [];
                    sources.IntersectWith(earlier);
                    combined[directive] = sources;
                }
            }
        }

        foreach (var sources in combined.Values.Where(s => s.Count == 0))
        {
            sources.Add("'none'");
        }

        return (combined, duplicateReporting);
    }
}
