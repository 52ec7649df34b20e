using System.Text.RegularExpressions;

namespace Portal.Core.Requests;

/// <summary>
/// How a site answers a path it does not have: CloudFront's own error, the site's 404 page with status 404, or, for
/// a single-page application, <c>/index.html</c> with 200. Through origin access control S3 answers a missing key
/// with 403 (CloudFront may not list the bucket), so both 403 and 404 from the origin mean "not there".
/// </summary>
public static partial class SiteErrorPages
{
    /// <summary>CloudFront's limit on a custom error response's page path.</summary>
    public const int MaxPathLength = 255;

    public const string IndexPage = "/index.html";

    /// <summary>The origin statuses that mean a missing object: 404, and 403 from S3 behind origin access control.</summary>
    public static IReadOnlyList<int> MissingObjectStatuses { get; } = [403, 404];

    /// <summary>The page path set, or null when none is.</summary>
    public static string? NotFoundPage(SiteSpec site) => string.IsNullOrEmpty(site?.NotFoundPage) ? null : site.NotFoundPage;

    /// <summary>The page and status a missing path is answered with, or null for CloudFront's own error.</summary>
    public static (string Page, int Status)? Answer(SiteSpec site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return site.SinglePageApplication ? (IndexPage, 200) : NotFoundPage(site) is { } page ? (page, 404) : null;
    }

    public static string Describe(SiteSpec site) => Answer(site) is not { } answer
        ? "CloudFront's error (403)"
        : answer.Status == 200 ? $"{answer.Page} with 200 (single-page application)" : $"{answer.Page} with {answer.Status}";

    /// <returns>Why the site's 404 page setting cannot be used, or null when it can (or is not set).</returns>
    public static string? CheckNotFoundPage(SiteSpec site)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (NotFoundPage(site) is not { } page)
        {
            return null;
        }

        if (site.SinglePageApplication)
        {
            return "A single-page application answers every unknown path with /index.html, so it has no 404 page: clear the 404 page or turn single-page mode off.";
        }

        if (page.Length > MaxPathLength || !PagePath().IsMatch(page) || page.Split('/').Any(s => s is "." or ".."))
        {
            return $"The 404 page must be a file of the site's content as a path such as /404.html or /errors/not-found.html "
                + $"(letters, digits and . _ ~ - between slashes, at most {MaxPathLength} characters); got '{(page.Length > 80 ? page[..80] + "..." : page)}'.";
        }

        return null;
    }

    /// <summary>
    /// Whether the pages the setting needs are in the site's uploaded content: the 404 page, or <c>index.html</c> in
    /// single-page mode. <paramref name="contentPaths"/> are the paths of the newest content version's files
    /// (<c>errors/404.html</c>); null (nothing uploaded yet) checks nothing: content may follow.
    /// </summary>
    public static FieldError? CheckAgainstContent(SiteSpec site, IReadOnlyCollection<string>? contentPaths, int? contentVersion = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (contentPaths is null || Answer(site) is not { } answer)
        {
            return null;
        }

        var page = answer.Page;
        var key = page.TrimStart('/');
        if (contentPaths.Contains(key, StringComparer.Ordinal))
        {
            return null;
        }

        var version = contentVersion is { } n ? $" (content version {n})" : "";
        return site.SinglePageApplication
            ? new FieldError("singlePageApplication", $"Single-page mode serves /index.html for unknown paths, but the site's uploaded content{version} has no index.html.")
            : new FieldError("notFoundPage", $"{page} is not in the site's uploaded content{version}: upload it, or name a page the content has (paths are case-sensitive).");
    }

    [GeneratedRegex("^(/[A-Za-z0-9._~-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex PagePath();
}
