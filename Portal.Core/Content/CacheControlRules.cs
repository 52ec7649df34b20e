using Portal.Core.Text;
using Portal.Core.Requests;
using Portal.Core.Templates;

namespace Portal.Core.Content;

/// <summary>
/// The Cache-Control a site's file is stored with: the first of the site's cache rules whose CloudFront path pattern
/// matches the file's URL path, the seed recipe's rules when the site sets none, nothing when no rule matches. The
/// object's metadata is the only place the rules live: the distribution's cache policy (CachingOptimized) honours
/// the origin's Cache-Control and CloudFront passes it on to browsers, so no response headers policy per value is
/// needed (<c>aws s3 cp</c> commands for a pipeline come from <see cref="PipelineCacheCommands"/>).
/// </summary>
public static class CacheControlRules
{
    public static IReadOnlyList<CacheRule> Effective(SiteSpec site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return site.CacheRules.Count > 0 ? site.CacheRules : StackRenderer.SeedCacheRules;
    }

    /// <param name="path">The file's path in the site, e.g. <c>assets/app.js</c>.</param>
    public static string? For(string path, IReadOnlyList<CacheRule> rules)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(rules);
        var urlPath = "/" + path;
        return rules.FirstOrDefault(r => Matches(r.PathPattern, urlPath))?.CacheControl;
    }

    /// <summary>
    /// CloudFront's path pattern matching: case-sensitive, <c>*</c> is any run of characters (slashes included),
    /// <c>?</c> exactly one, and a pattern without a leading slash is read as if it had one.
    /// </summary>
    public static bool Matches(string pattern, string urlPath)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(urlPath);
        if (pattern.Length == 0 || pattern[0] != '/')
        {
            pattern = pattern.Length > 0 && pattern[0] == '*' ? pattern : "/" + pattern;
        }

        return Wildcard.Matches(pattern, urlPath);
    }
}
