using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.Headers;

/// <summary>Response header sets for grading tests.</summary>
internal static class HeaderSets
{
    public const string StrictHsts = "max-age=31536000; includeSubDomains; preload";

    /// <summary>The headers the portal's response headers policy sends for a site with default settings.</summary>
    public static List<KeyValuePair<string, string>> PortalDefaults() =>
    [
        new("Strict-Transport-Security", StrictHsts),
        new("Content-Security-Policy", SiteSpec.DefaultCsp),
        new("X-Frame-Options", "DENY"),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", SiteSpec.DefaultReferrerPolicy),
        new("Permissions-Policy", SiteSpec.DefaultPermissionsPolicy),
    ];

    public static List<KeyValuePair<string, string>> Of(params (string Name, string Value)[] headers) =>
        [.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))];

    /// <summary>The portal defaults with one header replaced (or removed when <paramref name="value"/> is null).</summary>
    public static List<KeyValuePair<string, string>> DefaultsWith(string name, string? value)
    {
        var headers = PortalDefaults().Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null)
        {
            headers.Add(new(name, value));
        }

        return headers;
    }
}
