using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// Requests covering each kind, both environments and every option the templates branch on, rendered with two
/// different portal settings. Every test over "every rendered stack" runs over all of them.
/// </summary>
internal static class RenderMatrix
{
    public static readonly Guid RequestId = Guid.Parse("8d6f3c2e-4b1a-4c55-9a07-3e2f1d0c9b8a");

    public static PortalStackSettings DefaultSettings { get; } = new()
    {
        ContentBucketName = "acme-portal-content",
        LogBucketName = "acme-portal-logs",
    };

    public static PortalStackSettings OtherSettings { get; } = new()
    {
        StackNamePrefix = "web",
        SharedRegion = "eu-west-1",
        ContentBucketName = "acme-web-content-eu",
        LogBucketName = "acme-web-logs-eu",
        DefaultDocumentFunctionName = "web_default_document",
        MinimumProtocolVersion = "TLSv1.3_2025",
        PriceClass = "PriceClass_100",
        Tags = new Dictionary<string, string> { ["cost-centre"] = "1234", ["team"] = "web platform" },
    };

    public static SiteSpec ExampleSite { get; } = (SiteSpec)RequestSpecJson.Parse(
        """{"kind":"site","host":"docs.example.com","hostedZoneId":"Z0123456789ABC","hostedZoneName":"example.com","csp":"default-src 'self'","viewerProtocol":"redirect-to-https","redirectFrom":["www.docs.example.com"]}""").Spec!;

    public static MtaStsSpec ExampleMtaSts { get; } = (MtaStsSpec)RequestSpecJson.Parse(
        """{"kind":"mta-sts","domain":"example.com","mode":"testing","maxAge":604800,"mx":["mx1.example.com","*.mail.example.com"],"tlsRptRua":["mailto:tlsrpt@example.com"],"hostedZoneId":"Z0123456789ABC"}""").Spec!;

    public static IReadOnlyDictionary<string, RequestSpec> Specs { get; } = new Dictionary<string, RequestSpec>
    {
        ["site-example"] = ExampleSite,
        ["site-defaults"] = new SiteSpec { Host = "www.example.org", HostedZoneId = "Z2EXAMPLEORG", HostedZoneName = "example.org" },
        ["site-apex-https-only"] = new SiteSpec
        {
            Host = "example.net",
            HostedZoneId = "Z3EXAMPLENET",
            HostedZoneName = "example.net",
            ViewerProtocol = ViewerProtocol.HttpsOnly,
            HstsPreload = false,
            ReferrerPolicy = "no-referrer",
            PermissionsPolicy = "",
            RedirectFrom = ["www.example.net", "old.example.net", "xn--bcher-kva.example.net"],
        },
        ["site-cache-rules"] = new SiteSpec
        {
            Host = "app-1.team-a.example.com",
            HostedZoneId = "Z0123456789ABC",
            HostedZoneName = "example.com",
            Csp = "default-src 'none'; script-src 'self' https://cdn.example.com; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self' https://api.example.com; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
            CacheRules =
            [
                new("/static/*", "public, max-age=31536000, immutable"),
                new("*.css", "max-age=86400"),
                new("*.js", "max-age=86400"),
                new("/index.html", "no-cache"),
                new("*.json", "no-store"),
            ],
        },
        ["site-many-cache-rules"] = new SiteSpec
        {
            Host = "assets.example.com",
            HostedZoneId = "Z0123456789ABC",
            HostedZoneName = "example.com",
            CacheRules = [.. Enumerable.Range(1, SpecValidator.MaxCacheRules).Select(i => new CacheRule($"/v{i}/*", $"max-age={i * 3600}"))],
        },
        ["site-deploy-role"] = new SiteSpec
        {
            Host = "handbook.example.com",
            HostedZoneId = "Z0123456789ABC",
            HostedZoneName = "example.com",
            DeployRole = new GitHubDeployRole("acme-corp/handbook.site", "release/2026-q4"),
        },
        ["site-not-found-page"] = new SiteSpec
        {
            Host = "help.example.com",
            HostedZoneId = "Z0123456789ABC",
            HostedZoneName = "example.com",
            NotFoundPage = "/errors/404.html",
        },
        ["site-single-page-app"] = new SiteSpec
        {
            Host = "app.example.com",
            HostedZoneId = "Z0123456789ABC",
            HostedZoneName = "example.com",
            SinglePageApplication = true,
        },
        ["mta-sts-example"] = ExampleMtaSts,
        ["mta-sts-enforce-no-route53"] = new MtaStsSpec
        {
            Domain = "mail-elsewhere.example",
            Mode = MtaStsMode.Enforce,
            MaxAge = MtaStsSpec.MaxMaxAge,
            Mx = ["mx.mail-elsewhere.example", "backup.mx.example.net"],
        },
        ["mta-sts-none"] = new MtaStsSpec
        {
            Domain = "retired.example.org",
            Mode = MtaStsMode.None,
            MaxAge = 86400,
            Mx = [],
            TlsRptRua = ["mailto:tls@example.org", "https://reports.example.org/tlsrpt"],
            HostedZoneId = "Z2EXAMPLEORG",
            HostedZoneName = "example.org",
        },
    };

    public static IEnumerable<object[]> CaseNames() =>
        from name in Specs.Keys
        from environment in new[] { "testing", "production" }
        from settings in new[] { "default", "other" }
        select new object[] { name, environment, settings };

    public static PortalStackSettings Settings(string name) => name == "other" ? OtherSettings : DefaultSettings;

    public static DeploymentEnvironment Environment(string name) =>
        name == "production" ? DeploymentEnvironment.Production : DeploymentEnvironment.Testing;

    public static StackRenderer Renderer(PortalStackSettings settings) => new(TemplateLibrary.LoadEmbedded(), settings);

    public static RenderResult Render(string specName, string environment, string settings) =>
        Renderer(Settings(settings)).Render(new RenderRequest(RequestId, 3, "Alice Requester", Specs[specName]), Environment(environment));

    /// <summary>Every stack of every case (the headers stacks it imports first), plus both shared stacks.</summary>
    public static IReadOnlyList<(string Case, RenderedStack Stack)> AllStacks => AllStacksOnce.Value;

    private static readonly Lazy<IReadOnlyList<(string Case, RenderedStack Stack)>> AllStacksOnce = new(BuildAll);

    private static List<(string Case, RenderedStack Stack)> BuildAll()
    {
        var all = new List<(string Case, RenderedStack Stack)>();
        foreach (var row in CaseNames())
        {
            var (spec, environment, settings) = ((string)row[0], (string)row[1], (string)row[2]);
            var result = Render(spec, environment, settings);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"{spec}/{environment}/{settings} did not render: {string.Join("; ", result.Errors.Select(e => e.Field + ": " + e.Message))}");
            }

            all.AddRange(result.HeadersStacks.Concat(result.Stacks).Select(s => ($"{spec}/{environment}/{settings}", s)));
        }

        all.Add(("shared/default", Renderer(DefaultSettings).RenderShared()));
        all.Add(("shared/other", Renderer(OtherSettings).RenderShared()));
        return all;
    }
}
