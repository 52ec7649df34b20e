using System.Globalization;

namespace Portal.Core.Requests;

/// <summary>One field of a request as a person reads it: a label and its value in words, several values one per line.</summary>
public sealed record SpecField(string Label, IReadOnlyList<string> Values);

/// <summary>
/// What a request asks for, field by field, for the request page: the values as they were typed (quotes and all),
/// with words for the choices, instead of the spec's JSON.
/// </summary>
public static class SpecFields
{
    public const string None = "none";

    public static IReadOnlyList<SpecField> Of(RequestSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec switch
        {
            SiteSpec site => Site(site),
            MtaStsSpec mta => MtaSts(mta),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.GetType().Name, "Unknown kind of request."),
        };
    }

    private static List<SpecField> Site(SiteSpec s) =>
    [
        One("Host", s.Host),
        One("Hosted zone", Zone(s.HostedZoneName, s.HostedZoneId)),
        Many("Environments", s.Environments.Select(e => e == DeploymentEnvironment.Testing ? "testing" : "production")),
        Many("Redirected to the host", s.RedirectFrom),
        One("HTTP requests", s.ViewerProtocol == ViewerProtocol.RedirectToHttps ? "redirected to HTTPS" : "refused (HTTPS only)"),
        One("HSTS preload", s.HstsPreload ? "yes" : "no"),
        One("Content-Security-Policy", s.Csp),
        One("Referrer-Policy", s.ReferrerPolicy),
        One("Permissions-Policy", s.PermissionsPolicy),
        Many("Cache-Control rules", s.CacheRules.Select(r => $"{r.PathPattern}: {r.CacheControl}"), "the defaults"),
        One("Deploy role for GitHub Actions", s.DeployRole is { } role ? $"{role.Repository}, branch {role.Branch}" : None),
        One("Unknown paths", SiteErrorPages.Describe(s)),
        One("Earlier content versions kept", s.KeepContentVersions.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private static List<SpecField> MtaSts(MtaStsSpec s) =>
    [
        One("Mail domain", s.Domain),
        One("DNS", s.DnsInRoute53 ? "in Route53, hosted zone " + Zone(s.HostedZoneName, s.HostedZoneId) : "elsewhere: records published by hand"),
        One("Mode in production", s.Mode.ToString().ToLowerInvariant()),
        One("max_age", string.Create(CultureInfo.InvariantCulture, $"{s.MaxAge} seconds ({Duration(s.MaxAge)})")),
        Many("MX patterns", s.Mx),
        Many("TLS-RPT reports to", s.TlsRptRua, "no TLS-RPT record"),
    ];

    private static string Zone(string? name, string? id) =>
        string.IsNullOrEmpty(name) ? id ?? "" : string.IsNullOrEmpty(id) ? name : $"{name} ({id})";

    private static string Duration(long seconds) =>
        seconds % 86_400 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400} days")
        : seconds % 3_600 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3_600} hours")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60.0:0.#} minutes");

    private static SpecField One(string label, string value) => new(label, [value]);

    private static SpecField Many(string label, IEnumerable<string> values, string empty = None)
    {
        var list = values.ToList();
        return new SpecField(label, list.Count == 0 ? [empty] : list);
    }
}
