using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Core.Requests;
using Portal.Core.Text;

namespace Portal.Core.Adoption;

/// <summary>One origin of a CloudFront distribution: its id, domain name, path, and whether it is configured as an S3 origin.</summary>
public sealed record DistributionOrigin(string Id, string DomainName, string? OriginPath, bool S3OriginConfig);

/// <summary>One custom error response: the origin status it answers, the page and the status it answers with.</summary>
public sealed record DistributionErrorResponse(int ErrorCode, string? ResponsePagePath, string? ResponseCode);

/// <summary>What CloudFront's GetDistribution says about a distribution, as far as adopting a site needs it.</summary>
public sealed record CloudFrontDistribution(
    string Id,
    string Status,
    bool Enabled,
    string DomainName,
    IReadOnlyList<string> Aliases,
    string? DefaultRootObject,
    string PriceClass,
    IReadOnlyList<DistributionOrigin> Origins,
    string DefaultTargetOriginId,
    string ViewerProtocolPolicy,
    IReadOnlyList<DistributionErrorResponse> ErrorResponses,
    string? CertificateArn);

/// <summary>Which S3 address a distribution's origin uses: the REST endpoint, or the static website endpoint.</summary>
public enum S3OriginEndpoint
{
    Rest,
    Website,
}

/// <summary>The S3 bucket (and key prefix) a distribution serves from.</summary>
public sealed record OriginBucket(string Bucket, S3OriginEndpoint Endpoint, string Prefix);

/// <summary>The objects of the origin bucket under its prefix: how many, how many bytes.</summary>
public sealed record BucketInventory(int Objects, long Bytes);

/// <summary>
/// A site served by CloudFront from S3 outside the portal, as read: the distribution, its origin bucket and what is in
/// it, the site settings the portal maps from it, and what it cannot carry over (<see cref="Problems"/>).
/// </summary>
public sealed record FoundSite(
    string Host,
    string DistributionId,
    string Status,
    bool Enabled,
    string DistributionDomainName,
    IReadOnlyList<string> Aliases,
    OriginBucket Origin,
    BucketInventory Inventory,
    string? CertificateArn,
    string PriceClass,
    string? DefaultRootObject,
    string? NotFoundPage,
    bool SinglePageApplication,
    ViewerProtocol ViewerProtocol,
    IReadOnlyList<string> Problems);

/// <summary>What an admin sees before adopting a site: what was found, or why it cannot be adopted.</summary>
public sealed record SiteAdoptionPreview(string Host, string DistributionId, FoundSite? Found, string? Refusal)
{
    public bool CanAdopt => Refusal is null && Found is not null;
}

/// <summary>
/// The rules of adopting a static site already served by CloudFront from an S3 bucket. The portal records what exists
/// (it deploys and changes nothing then) and maps what it can onto a site request; the owner's next revision deploys the
/// portal's own stack (its own bucket and distribution). Only an S3 origin is accepted, by its REST endpoint
/// (<c>bucket.s3.region.amazonaws.com</c>) or its static website endpoint (<c>bucket.s3-website-region.amazonaws.com</c>);
/// any other origin (a load balancer, a custom server) has no bucket whose objects are the site.
/// </summary>
public static partial class SiteAdoption
{
    /// <summary>The root object the portal's stack serves at <c>/</c> (templates/site.yaml).</summary>
    public const string PortalRootObject = "index.html";

    /// <summary>The host as typed, trimmed, lower case and without a final dot, or a message saying what is wrong.</summary>
    public static (string Host, string? Problem) NormalizeHost(string? input)
    {
        var host = (input ?? "").Trim().TrimEnd('.').ToLowerInvariant();
        if (host.Length == 0)
        {
            return (host, "Enter the site's domain name, e.g. docs.example.com.");
        }

        if (HostNameRules.Check(host) is { } problem)
        {
            return (host, $"The site's domain name {problem}");
        }

        return ServedNames.Testing(host).Length > HostNameRules.MaxNameLength
            ? (host, $"The site's domain name is too long: its testing name '{ServedNames.Testing(host)}' would exceed {HostNameRules.MaxNameLength} characters.")
            : (host, null);
    }

    /// <summary>A CloudFront distribution id (upper-case letters and digits, e.g. E1U5RQF7T870K0) as typed, or what is wrong with it.</summary>
    public static (string Id, string? Problem) NormalizeDistributionId(string? input)
    {
        var id = (input ?? "").Trim().ToUpperInvariant();
        if (id.Length == 0)
        {
            return (id, "Enter the CloudFront distribution id, e.g. E1U5RQF7T870K0 (the CloudFront console lists it).");
        }

        return DistributionId().IsMatch(id)
            ? (id, null)
            : (id, $"'{(id.Length > 40 ? id[..40] + "..." : id)}' is not a CloudFront distribution id: those are letters and digits only, e.g. E1U5RQF7T870K0.");
    }

    /// <summary>The bucket an origin domain name addresses, by S3's REST or website endpoint, or null for any other origin.</summary>
    public static OriginBucket? Bucket(DistributionOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var match = S3Endpoint().Match(origin.DomainName.Trim().TrimEnd('.').ToLowerInvariant());
        if (!match.Success)
        {
            return null;
        }

        var prefix = (origin.OriginPath ?? "").Trim('/');
        return new OriginBucket(match.Groups["bucket"].Value, match.Groups["kind"].Value == "s3" ? S3OriginEndpoint.Rest : S3OriginEndpoint.Website,
            prefix.Length == 0 ? "" : prefix + "/");
    }

    /// <summary>
    /// Judges a distribution for <paramref name="host"/>: the host must be one of its aliases and its default behaviour's
    /// origin an S3 bucket. Returns the origin to read, or the refusal worded for the admin.
    /// </summary>
    public static (OriginBucket? Origin, string? Refusal) Judge(string host, CloudFrontDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        if (!distribution.Aliases.Any(a => string.Equals(a.TrimEnd('.'), host, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, $"{host} is not an alternate domain name (alias) of distribution {distribution.Id}; its aliases are "
                + $"{(distribution.Aliases.Count == 0 ? "none" : string.Join(", ", distribution.Aliases))}. Check the distribution id, or the site's domain name.");
        }

        var origin = distribution.Origins.FirstOrDefault(o => o.Id == distribution.DefaultTargetOriginId) ?? (distribution.Origins.Count == 1 ? distribution.Origins[0] : null);
        if (origin is null)
        {
            return (null, $"Distribution {distribution.Id} has no origin '{distribution.DefaultTargetOriginId}' for its default behaviour; nothing can be adopted.");
        }

        return Bucket(origin) is { } bucket
            ? (bucket, null)
            : (null, $"The origin of distribution {distribution.Id} is {origin.DomainName}, not an S3 bucket. Only a site served from S3 "
                + "(its REST endpoint bucket.s3.<region>.amazonaws.com or website endpoint bucket.s3-website-<region>.amazonaws.com) can be adopted.");
    }

    /// <summary>Maps what was read onto the site settings the portal has, listing what does not carry over.</summary>
    public static FoundSite Map(string host, CloudFrontDistribution distribution, OriginBucket origin, BucketInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(inventory);
        var problems = new List<string>();
        if (distribution.Status != "Deployed")
        {
            problems.Add($"The distribution is {distribution.Status}, not Deployed: a change is still spreading to CloudFront's edge locations.");
        }

        if (!distribution.Enabled)
        {
            problems.Add("The distribution is disabled: it serves nothing today.");
        }

        var others = distribution.Aliases.Where(a => !string.Equals(a.TrimEnd('.'), host, StringComparison.OrdinalIgnoreCase)).ToList();
        if (others.Count > 0)
        {
            problems.Add($"Other aliases ({string.Join(", ", others)}) are not carried over: add them as redirect names in the next revision, or keep them on the old distribution.");
        }

        if (origin.Endpoint == S3OriginEndpoint.Website)
        {
            problems.Add("The origin is S3's website endpoint: its index documents in folders (about/ serving about/index.html) and its redirect rules are not carried over; the portal's stack reads the bucket through its REST endpoint.");
        }

        var root = string.IsNullOrWhiteSpace(distribution.DefaultRootObject) ? null : distribution.DefaultRootObject.Trim().TrimStart('/');
        if (!string.Equals(root, PortalRootObject, StringComparison.Ordinal))
        {
            problems.Add($"The default root object is {(root is null ? "not set" : root)}; the portal's stack serves {PortalRootObject} at /.");
        }

        var (notFound, spa) = ErrorPages(distribution.ErrorResponses, problems);
        var protocol = distribution.ViewerProtocolPolicy switch
        {
            "https-only" => ViewerProtocol.HttpsOnly,
            "redirect-to-https" => ViewerProtocol.RedirectToHttps,
            _ => ViewerProtocol.RedirectToHttps,
        };
        if (distribution.ViewerProtocolPolicy is not ("https-only" or "redirect-to-https"))
        {
            problems.Add($"The viewer protocol policy is {distribution.ViewerProtocolPolicy}; the portal's stack redirects plain HTTP to HTTPS.");
        }

        if (!string.Equals(distribution.PriceClass, "PriceClass_All", StringComparison.Ordinal))
        {
            problems.Add($"The price class is {distribution.PriceClass}; the portal's stacks use the price class the portal is configured with, not one per site.");
        }

        if (distribution.CertificateArn is null)
        {
            problems.Add("The distribution has no ACM certificate of its own; the portal's stack requests one for the site's names.");
        }

        if (inventory.Objects == 0)
        {
            problems.Add($"The bucket {origin.Bucket} has no objects{(origin.Prefix.Length == 0 ? "" : " under " + origin.Prefix)}: there is no content to serve.");
        }

        return new FoundSite(host, distribution.Id, distribution.Status, distribution.Enabled, distribution.DomainName, distribution.Aliases, origin, inventory,
            distribution.CertificateArn, distribution.PriceClass, root, notFound, spa, protocol, problems);
    }

    /// <summary>The revision an adoption records: the mapped settings, with the portal's defaults for the rest, in the zone the admin picked.</summary>
    public static SiteSpec Spec(FoundSite found, string hostedZoneId, string hostedZoneName)
    {
        ArgumentNullException.ThrowIfNull(found);
        return new SiteSpec
        {
            Host = found.Host,
            HostedZoneId = (hostedZoneId ?? "").Trim(),
            HostedZoneName = (hostedZoneName ?? "").Trim().TrimEnd('.').ToLowerInvariant(),
            NotFoundPage = found.NotFoundPage,
            SinglePageApplication = found.SinglePageApplication,
            ViewerProtocol = found.ViewerProtocol,
        };
    }

    /// <summary>The audit trail's sentence: what was served when it was adopted.</summary>
    public static string Summary(FoundSite found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Adopted {found.Host} from CloudFront distribution {found.DistributionId} ({found.Status}), origin bucket {found.Origin.Bucket}"
            + $"{(found.Origin.Prefix.Length == 0 ? "" : "/" + found.Origin.Prefix.TrimEnd('/'))} ({(found.Origin.Endpoint == S3OriginEndpoint.Rest ? "REST" : "website")} endpoint) "
            + $"with {found.Inventory.Objects} object(s), {found.Inventory.Bytes} bytes; missing paths: {Describe(found)}; "
            + $"{found.Problems.Count} problem(s) found.");
        return text.Length > FreeText.MaxReasonLength ? text[..FreeText.MaxReasonLength] : text;
    }

    /// <summary>How the mapped site answers a missing path, in the words of the site form.</summary>
    public static string Describe(FoundSite found)
    {
        ArgumentNullException.ThrowIfNull(found);
        return SiteErrorPages.Describe(new SiteSpec { Host = found.Host, NotFoundPage = found.NotFoundPage, SinglePageApplication = found.SinglePageApplication });
    }

    /// <summary>
    /// The site's error pages from the custom error responses for a missing object (403 or 404 from S3): a page answered
    /// with 404 is the 404 page; <c>/index.html</c> answered with 200 is a single-page application. Anything else is listed.
    /// </summary>
    private static (string? NotFoundPage, bool Spa) ErrorPages(IReadOnlyList<DistributionErrorResponse> responses, List<string> problems)
    {
        string? page = null;
        var spa = false;
        foreach (var response in responses)
        {
            var path = string.IsNullOrWhiteSpace(response.ResponsePagePath) ? null : response.ResponsePagePath.Trim();
            if (!SiteErrorPages.MissingObjectStatuses.Contains(response.ErrorCode) || path is null)
            {
                if (path is not null || response.ResponseCode is not null)
                {
                    problems.Add($"The custom error response for {response.ErrorCode} ({path ?? "no page"}, status {response.ResponseCode ?? "unchanged"}) is not carried over.");
                }

                continue;
            }

            if (response.ResponseCode == "200" && path == SiteErrorPages.IndexPage)
            {
                spa = true;
            }
            else if (response.ResponseCode == "404" && page is null)
            {
                page = path;
            }
            else if (!(response.ResponseCode == "404" && path == page))
            {
                problems.Add($"The custom error response for {response.ErrorCode} ({path} with status {response.ResponseCode ?? "unchanged"}) is not carried over.");
            }
        }

        if (spa && page is not null)
        {
            problems.Add($"Both a single-page fallback and a 404 page ({page}) are set; the portal keeps single-page mode.");
            page = null;
        }

        if (page is not null && SiteErrorPages.CheckNotFoundPage(new SiteSpec { NotFoundPage = page }) is { } bad)
        {
            problems.Add($"The 404 page {page} is not carried over: {bad}");
            page = null;
        }

        return (page, spa);
    }

    [GeneratedRegex("^[A-Z0-9]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex DistributionId();

    // bucket.s3.amazonaws.com, bucket.s3.eu-west-1.amazonaws.com, bucket.s3-eu-west-1.amazonaws.com,
    // bucket.s3.dualstack.eu-west-1.amazonaws.com; bucket.s3-website-eu-west-1.amazonaws.com, bucket.s3-website.eu-west-1.amazonaws.com.
    [GeneratedRegex(@"^(?<bucket>[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])\.(?<kind>s3-website|s3)(?:[.\-](?!website)(?:dualstack\.)?[a-z0-9\-]+)?\.amazonaws\.com(?:\.cn)?$", RegexOptions.CultureInvariant)]
    private static partial Regex S3Endpoint();
}
