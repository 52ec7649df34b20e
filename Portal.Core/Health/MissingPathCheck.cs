using Portal.Core.Content;
using Portal.Core.Requests;

namespace Portal.Core.Health;

/// <summary>
/// How a portal site should answer a path it does not have: <paramref name="Status"/> with the page at
/// <paramref name="Page"/> (whose bytes hash to <paramref name="PageSha256"/> when the content version is known), or,
/// with no setting (<paramref name="Status"/> null), CloudFront's own 403 or 404.
/// </summary>
public sealed record MissingPathExpectation(int? Status, string? Page, string? PageSha256);

/// <summary>
/// Judges the answer to a request for a path no site has, against the site's missing-path setting (a 404 page, or
/// index.html in single-page mode): the health check's proof that the setting works where visitors are.
/// </summary>
public static class MissingPathCheck
{
    public const string FindingId = "site.missing-path";

    /// <summary>
    /// What the site should answer, from its spec and the files of the content version served there (null: not known,
    /// so only the status is judged).
    /// </summary>
    public static MissingPathExpectation For(SiteSpec site, IReadOnlyList<ContentFile>? content)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (SiteErrorPages.Answer(site) is not { } answer)
        {
            return new(null, null, null);
        }

        var key = answer.Page.TrimStart('/');
        return new(answer.Status, answer.Page, content?.FirstOrDefault(f => string.Equals(f.Path, key, StringComparison.Ordinal))?.Sha256);
    }

    /// <summary>A path no site has (the check asks for one it made up); its extension keeps the default-document rewrite away.</summary>
    public static string MissingPath(Guid nonce) => $"/portal-health-missing-{nonce:N}.html";

    /// <param name="status">The status the site answered the missing path with.</param>
    /// <param name="bodySha256">SHA-256 (lower-case hex) of the body it sent.</param>
    public static Finding Judge(string host, string path, MissingPathExpectation expected, int status, string bodySha256)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var evidence = $"GET https://{host}{path}: HTTP {status}, body SHA-256 {bodySha256[..Math.Min(12, bodySha256.Length)]}";
        if (expected.Status is not { } want)
        {
            return status is 403 or 404
                ? new(FindingId, FindingSeverity.Info, $"A missing path answers {status}: the site sets no 404 page or single-page mode, so visitors see CloudFront's error.", evidence)
                : new(FindingId, FindingSeverity.Warning, $"A missing path answers {status}, where a site with no 404 page should answer 403 or 404.", evidence);
        }

        var what = want == 200 ? $"{expected.Page} with 200 (single-page mode)" : $"the 404 page {expected.Page} with 404";
        if (status != want)
        {
            return new(FindingId, FindingSeverity.Error, $"A missing path answers {status}, but the site is set to answer {what}.", evidence);
        }

        if (expected.PageSha256 is { } page && !string.Equals(page, bodySha256, StringComparison.OrdinalIgnoreCase))
        {
            return new(FindingId, FindingSeverity.Error,
                $"A missing path answers {status}, but not with {expected.Page} of the site's content: the body differs from that page's.", $"{evidence}; expected {page[..Math.Min(12, page.Length)]}");
        }

        return new(FindingId, FindingSeverity.Pass, $"A missing path answers {what}, as the site is set.", evidence);
    }
}
