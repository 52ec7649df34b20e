using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Core.Requests;

namespace Portal.Core.Templates;

/// <summary>One CloudFront quota: how many sites, sites with a <c>www</c> redirect and mail domains fit under it (null: no limit from this quota).</summary>
public sealed record QuotaCapacity(string Quota, int Default, int? Sites, int? SitesWithRedirect, int? MailDomains);

/// <summary>
/// How many sites and mail domains one AWS account holds with CloudFront's default quotas, computed from the stacks the
/// renderer makes (not from hand-written counts): a site's two environments, the same with a <c>www</c> redirect name,
/// and a mail domain are rendered, their distributions and functions counted, and the shared pieces (function copies in
/// the shared stack, headers stacks with their policy and origin access control) divided among them. Distributions
/// are assumed spread evenly over the copies of a shared resource, which the stable hash does closely but not exactly.
/// </summary>
public static class AccountCapacity
{
    public const int DistributionsPerAccount = 500;
    public const int FunctionsPerAccount = 100;
    public const int ResponseHeadersPoliciesPerAccount = 20;
    public const int OriginAccessControlsPerAccount = 100;
    public const int DistributionsPerShared = 100;

    /// <summary>S3's default for general purpose buckets (https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html).</summary>
    public const int BucketsPerAccount = 10_000;

    /// <summary>The shared stack's content and log buckets.</summary>
    private const int SharedBuckets = 2;

    private sealed record Profile(int Distributions, int OwnFunctions, int DefaultDocumentDistributions, IReadOnlyList<(HeaderSetKind Set, int Distributions)> HeaderSets, int Buckets);

    private enum HeaderSetKind
    {
        Site,
        LockedDown,
    }

    public static IReadOnlyList<QuotaCapacity> Compute(StackRenderer renderer, PortalStackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(settings);
        var site = Measure(renderer, new SiteSpec { Host = "site.example.com", HostedZoneId = "Z0123456789ABC", HostedZoneName = "example.com" });
        var withRedirect = Measure(renderer, new SiteSpec { Host = "site.example.com", HostedZoneId = "Z0123456789ABC", HostedZoneName = "example.com", RedirectFrom = ["www.site.example.com"] });
        var mail = Measure(renderer, new MtaStsSpec { Domain = "example.com", HostedZoneId = "Z0123456789ABC", Mx = ["mail.example.com"] });
        var sharedFunctions = settings.DefaultDocumentFunctionShards;

        int? Divide(int available, int perUnit) => perUnit == 0 ? null : Math.Max(0, available / perUnit);

        // A header set shared by all units of a profile is one policy and one access control per copy; its copies
        // serve at most 100 distributions each, so that caps the units with that header set.
        int? PerSharedCopy(Profile p) => p.HeaderSets
            .Select(s => Divide(settings.HeadersShards * DistributionsPerShared, s.Distributions))
            .Where(n => n is not null).Min();

        int? PoliciesFor(Profile p) => p.HeaderSets.Select(s => s.Set).Distinct().Count() * settings.HeadersShards > ResponseHeadersPoliciesPerAccount ? 0 : null;

        return
        [
            new("Distributions per AWS account", DistributionsPerAccount,
                Divide(DistributionsPerAccount, site.Distributions), Divide(DistributionsPerAccount, withRedirect.Distributions), Divide(DistributionsPerAccount, mail.Distributions)),
            new("CloudFront Functions per AWS account", FunctionsPerAccount,
                Divide(FunctionsPerAccount - sharedFunctions, site.OwnFunctions), Divide(FunctionsPerAccount - sharedFunctions, withRedirect.OwnFunctions), Divide(FunctionsPerAccount - sharedFunctions, mail.OwnFunctions)),
            new("Distributions associated with the same function", DistributionsPerShared,
                Divide(sharedFunctions * DistributionsPerShared, site.DefaultDocumentDistributions), Divide(sharedFunctions * DistributionsPerShared, withRedirect.DefaultDocumentDistributions), Divide(sharedFunctions * DistributionsPerShared, mail.DefaultDocumentDistributions)),
            new("Response headers policies per AWS account", ResponseHeadersPoliciesPerAccount,
                PoliciesFor(site), PoliciesFor(withRedirect), PoliciesFor(mail)),
            new("Distributions associated with the same response headers policy", DistributionsPerShared,
                PerSharedCopy(site), PerSharedCopy(withRedirect), PerSharedCopy(mail)),
            new("Origin access controls per AWS account", OriginAccessControlsPerAccount,
                PoliciesFor(site), PoliciesFor(withRedirect), PoliciesFor(mail)),
            new("Distributions per origin access control", DistributionsPerShared,
                PerSharedCopy(site), PerSharedCopy(withRedirect), PerSharedCopy(mail)),
            new("S3 general purpose buckets per AWS account", BucketsPerAccount,
                Divide(BucketsPerAccount - SharedBuckets, site.Buckets), Divide(BucketsPerAccount - SharedBuckets, withRedirect.Buckets), Divide(BucketsPerAccount - SharedBuckets, mail.Buckets)),
        ];
    }

    /// <summary>The README's capacity table: one row per quota, then the sites and mail domains that fit in all.</summary>
    public static string MarkdownTable(IReadOnlyList<QuotaCapacity> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        static string Cell(int? n) => n is null ? "no limit" : n.Value.ToString(CultureInfo.InvariantCulture);
        static int? Min(IEnumerable<int?> values) => values.Where(v => v is not null).Min();
        var text = new StringBuilder()
            .Append("| quota | default | sites | sites with `www` | mail domains |\n")
            .Append("|---|---|---|---|---|\n");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Quota} | {row.Default} | {Cell(row.Sites)} | {Cell(row.SitesWithRedirect)} | {Cell(row.MailDomains)} |\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"| **all of them** | | **{Cell(Min(rows.Select(r => r.Sites)))}** | **{Cell(Min(rows.Select(r => r.SitesWithRedirect)))}** | **{Cell(Min(rows.Select(r => r.MailDomains)))}** |\n");
        return text.ToString();
    }

    private static Profile Measure(StackRenderer renderer, RequestSpec spec)
    {
        var environments = spec is SiteSpec ? new[] { DeploymentEnvironment.Testing, DeploymentEnvironment.Production } : [DeploymentEnvironment.Production];
        var distributions = 0;
        var functions = 0;
        var defaultDocument = 0;
        var buckets = 0;
        var sets = new Dictionary<HeaderSetKind, int>();
        foreach (var environment in environments)
        {
            var result = renderer.Render(new RenderRequest(Guid.Empty, 1, "capacity", spec), environment);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"The capacity sample did not render: {result.Errors[0].Field}: {result.Errors[0].Message}");
            }

            foreach (var stack in result.Stacks)
            {
                var resources = JsonNode.Parse(stack.TemplateBody)!["Resources"]!.AsObject();
                var types = resources.Select(r => r.Value!["Type"]!.GetValue<string>()).ToList();
                var stackDistributions = types.Count(t => t == "AWS::CloudFront::Distribution");
                distributions += stackDistributions;
                functions += types.Count(t => t == "AWS::CloudFront::Function");
                buckets += types.Count(t => t == "AWS::S3::Bucket");
                if (stack.Parameter("DefaultDocumentFunctionName") is not null)
                {
                    defaultDocument += stackDistributions;
                }

                if (stack.Parameter("HeadersStackName") is not null)
                {
                    var kind = stack.Kind == StackKind.Site ? HeaderSetKind.Site : HeaderSetKind.LockedDown;
                    sets[kind] = sets.GetValueOrDefault(kind) + stackDistributions;
                }
            }
        }

        return new Profile(distributions, functions, defaultDocument, sets.Select(s => (s.Key, s.Value)).ToList(), buckets);
    }
}
