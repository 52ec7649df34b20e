using Portal.Core.Headers;

namespace Portal.Core.Requests;

/// <summary>
/// The security headers a site's CloudFront response headers policy serves (templates/site.yaml), so the request
/// form can grade a site before it exists. The health checks grade what is really served.
/// </summary>
public static class SiteResponseHeaders
{
    public const int HstsMaxAgeSeconds = 31_536_000;

    public static IReadOnlyList<KeyValuePair<string, string>> For(SiteSpec site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Strict-Transport-Security", $"max-age={HstsMaxAgeSeconds}; includeSubDomains" + (site.HstsPreload ? "; preload" : "")),
            new("Content-Security-Policy", site.Csp),
            new("X-Content-Type-Options", "nosniff"),
            new("X-Frame-Options", "DENY"),
            new("Referrer-Policy", site.ReferrerPolicy),
        };
        if (!string.IsNullOrWhiteSpace(site.PermissionsPolicy))
        {
            headers.Add(new("Permissions-Policy", site.PermissionsPolicy));
        }

        return headers;
    }

    /// <summary>How plain HTTP behaves: CloudFront redirects under redirect-to-https and refuses (403) under https-only.</summary>
    public static RedirectionOutcome Redirection(SiteSpec site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return site.ViewerProtocol == ViewerProtocol.RedirectToHttps ? RedirectionOutcome.ToHttps : RedirectionOutcome.Missing;
    }

    public static ObservatoryGrade Grade(SiteSpec site) => ObservatoryGrader.Grade(For(site), Redirection(site));
}
