using System.Text.Json.Serialization;

namespace Portal.Core.Requests;

/// <summary>A static website: S3 content behind CloudFront with its certificate, headers and DNS.</summary>
public sealed record SiteSpec : RequestSpec
{
    public const string DefaultCsp = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests";
    public const string DefaultReferrerPolicy = "strict-origin-when-cross-origin";
    public const string DefaultPermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    [JsonIgnore]
    public override RequestKind Kind => RequestKind.Site;

    [JsonIgnore]
    public override string PrimaryName => Host;

    /// <summary>Canonical host name (IDNA A-labels), e.g. <c>docs.example.com</c>. Testing is served at <c>test.&lt;host&gt;</c>.</summary>
    public string Host { get; init; } = "";

    /// <summary>Route53 hosted zone id, e.g. <c>Z0123456789ABC</c>.</summary>
    public string HostedZoneId { get; init; } = "";

    /// <summary>Route53 hosted zone name the host lives under, e.g. <c>example.com</c>.</summary>
    public string HostedZoneName { get; init; } = "";

    /// <summary>Environments to provision; both by default.</summary>
    public IReadOnlyList<DeploymentEnvironment> Environments { get; init; } = [DeploymentEnvironment.Testing, DeploymentEnvironment.Production];

    /// <summary>Content-Security-Policy header value.</summary>
    public string Csp { get; init; } = DefaultCsp;

    public string ReferrerPolicy { get; init; } = DefaultReferrerPolicy;

    public string PermissionsPolicy { get; init; } = DefaultPermissionsPolicy;

    /// <summary>HSTS preload is on by default; a site that cannot yet commit to preload may turn it off.</summary>
    public bool HstsPreload { get; init; } = true;

    public ViewerProtocol ViewerProtocol { get; init; } = ViewerProtocol.RedirectToHttps;

    /// <summary>Other names (e.g. <c>www.docs.example.com</c>) that answer 301 to the canonical host.</summary>
    public IReadOnlyList<string> RedirectFrom { get; init; } = [];

    /// <summary>Cache-Control per path pattern; the first matching rule wins. Empty means the seed's defaults.</summary>
    public IReadOnlyList<CacheRule> CacheRules { get; init; } = [];

    /// <summary>
    /// A CI/CD deploy role in the testing stack for a GitHub Actions workflow of one repository and branch, allowed to
    /// publish testing content and invalidate the testing distribution only. Null makes no role.
    /// </summary>
    public GitHubDeployRole? DeployRole { get; init; }

    /// <summary>
    /// A page of the site's content, e.g. <c>/404.html</c>, served with status 404 for a path the site does not have.
    /// Null (or empty) leaves CloudFront's own error, which is S3's 403 AccessDenied for a missing object.
    /// </summary>
    public string? NotFoundPage { get; init; }

    /// <summary>A single-page application: a path the site does not have serves <c>/index.html</c> with 200, for the application's own router.</summary>
    public bool SinglePageApplication { get; init; }

    /// <summary>
    /// How many earlier content versions stay restorable: the content buckets keep this many replaced versions of each
    /// object (S3 lifecycle <c>NewerNoncurrentVersions</c>); older ones expire and the portal stops offering them.
    /// </summary>
    public int KeepContentVersions { get; init; } = ContentRetention.DefaultKeep;
}

/// <summary>Which GitHub Actions runs may assume a site's deploy role: those of <c>Repository</c> (owner/name) on <c>Branch</c>.</summary>
public sealed record GitHubDeployRole(string Repository, string Branch);

/// <summary>A Cache-Control value for the paths matching a CloudFront path pattern such as <c>*.css</c> or <c>/assets/*</c>.</summary>
public sealed record CacheRule(string PathPattern, string CacheControl);
