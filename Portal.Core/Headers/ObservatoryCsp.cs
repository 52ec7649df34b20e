using System.Globalization;
using System.Text;

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

    /// <param name="header">Every Content-Security-Policy field, joined with ", ", or null when there is none.</param>
    /// <param name="reportOnlyHeader">The Content-Security-Policy-Report-Only fields, likewise.</param>
    public static Evaluation Evaluate(string? header, string? reportOnlyHeader)
    {
        if (header is null)
        {
            return NotImplemented(reportOnlyHeader);
        }

        // CSP3 section 2.2 makes a comma a policy separator, so splitting on commas recovers every policy whether the
        // server sent one field per policy or joined them.
        var policies = header.Split(',').Select(p => p.Trim()).ToList();

        if (Parse(policies) is not { } parsed)
        {
            return new("csp-header-invalid", false, false);
        }

        var (csp, duplicateReporting) = parsed;
        if (csp.Count == 0)
        {
            return NotImplemented(reportOnlyHeader);
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

    private static Evaluation NotImplemented(string? reportOnlyHeader) =>
        !string.IsNullOrEmpty(reportOnlyHeader)
            ? new("csp-not-implemented-but-reporting-enabled", false, false)
            : new("csp-not-implemented", false, false);

    private static bool HasNonceOrHash(HashSet<string> sources) =>
        sources.Any(s => NoncesAndHashes.Any(n => s.StartsWith(n, StringComparison.Ordinal)));

    private static bool IsInsecureScheme(string source) =>
        source.StartsWith("http:", StringComparison.Ordinal) || source.StartsWith("ftp:", StringComparison.Ordinal);

    /// <summary>A source as the Observatory tracks it while merging policies.</summary>
    private sealed class Entry(string source, int policy, bool keep)
    {
        public string Source { get; } = source;

        public int Policy { get; } = policy;

        public bool Keep { get; set; } = keep;
    }

    /// <summary>The Observatory sorts sources with <c>Intl.Collator("en")</c>; ICU's English collation here matches it.</summary>
    private static readonly CompareInfo English = CultureInfo.GetCultureInfo("en").CompareInfo;

    /// <summary>
    /// Directive name to sources, lower-cased; null when the Observatory would call the header invalid (an empty or
    /// very short policy, a directive repeated within one policy other than report-uri/report-to, or a malformed
    /// percent-escape where policies are compared). A port of <c>parseCsp</c>: within a policy a source that extends
    /// the one sorted before it is dropped; across policies a source counts only when the other policy has a matching
    /// one, so a later policy can only narrow an earlier one.
    /// </summary>
    private static (Dictionary<string, HashSet<string>> Csp, bool DuplicateReporting)? Parse(List<string> policies)
    {
        var csp = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        var duplicateReporting = false;
        var cleaned = policies.Select(p => p.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim()).ToList();
        if (cleaned.Any(p => p.Length < ShortestPolicy))
        {
            return null;
        }

        for (var index = 0; index < cleaned.Count; index++)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var part in cleaned[index].Split(';'))
            {
                var tokens = part.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length == 0)
                {
                    continue;
                }

                var directive = tokens[0].ToLowerInvariant();
                if (!seen.Add(directive))
                {
                    if (directive is not ("report-uri" or "report-to"))
                    {
                        return null;
                    }

                    duplicateReporting = true;
                }

                var keep = index == 0;
                var values = tokens[1..].Select(t => new Entry(t.ToLowerInvariant(), index, keep)).ToList();
                if (values.Count == 0 && directive.EndsWith("-src", StringComparison.Ordinal))
                {
                    values.Add(new Entry("'none'", index, keep));
                }

                var combined = (index == 0 ? values : [.. csp.GetValueOrDefault(directive) ?? [], .. values])
                    .OrderBy(e => e.Source, Comparer<string>.Create((a, b) => English.Compare(a, b, CompareOptions.None)))
                    .ToList();
                for (var i = 1; i < combined.Count; i++)
                {
                    var source = combined[i];
                    var previous = combined[i - 1];
                    if (source.Policy == previous.Policy && source.Source.StartsWith(previous.Source, StringComparison.Ordinal))
                    {
                        source.Keep = false;
                    }

                    if (source.Policy != previous.Policy)
                    {
                        var match = PathPartMatch(previous.Source, source.Source);
                        if (match is null)
                        {
                            return null;
                        }

                        if (match.Value)
                        {
                            source.Keep = true;
                        }
                    }
                }

                var kept = combined.Where(e => e.Keep).ToList();
                csp[directive] = kept;
                if (index == 0 && cleaned.Count > 1)
                {
                    kept.ForEach(e => e.Keep = false);
                }
            }
        }

        var result = csp.ToDictionary(
            d => d.Key,
            d => d.Value.Count > 0 ? d.Value.Select(e => e.Source).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal) { "'none'" },
            StringComparer.Ordinal);
        return (result, duplicateReporting);
    }

    /// <summary>
    /// The Observatory's <c>pathPartMatch</c>: whether source <paramref name="b"/> lies within source
    /// <paramref name="a"/> when both are split at '/' and percent-decoded. Null where JavaScript's
    /// <c>decodeURIComponent</c> would throw, which makes the Observatory reject the header.
    /// </summary>
    private static bool? PathPartMatch(string a, string b)
    {
        if (a.Length == 0 || (a == "/" && b.Length == 0))
        {
            return true;
        }

        var exact = !a.EndsWith('/');
        var partsA = a.Split('/').ToList();
        var partsB = b.Split('/');
        if (partsA.Count > partsB.Length || (exact && partsA.Count != partsB.Length))
        {
            return false;
        }

        if (!exact)
        {
            partsA.RemoveAt(partsA.Count - 1);
        }

        for (var i = 0; i < partsA.Count; i++)
        {
            var pieceA = DecodeUriComponent(partsA[i]);
            var pieceB = DecodeUriComponent(partsB[i]);
            if (pieceA is null || pieceB is null)
            {
                return null;
            }

            if (pieceA != pieceB)
            {
                return false;
            }
        }

        return true;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string? DecodeUriComponent(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>();
        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%')
            {
                if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    return null;
                }

                bytes.Add(b);
                i += 2;
                continue;
            }

            if (!Flush())
            {
                return null;
            }

            text.Append(value[i]);
        }

        return Flush() ? text.ToString() : null;

        bool Flush()
        {
            if (bytes.Count == 0)
            {
                return true;
            }

            try
            {
                text.Append(StrictUtf8.GetString([.. bytes]));
                bytes.Clear();
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }
    }
}
