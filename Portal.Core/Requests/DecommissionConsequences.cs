using System.Globalization;

namespace Portal.Core.Requests;

/// <summary>
/// What decommissioning removes and what it keeps, in words for the confirmation a person sees before asking for it,
/// approving it or finishing a retirement early. The README's Decommission section says the same.
/// </summary>
public static class DecommissionConsequences
{
    public static IReadOnlyList<string> For(RequestSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec switch
        {
            SiteSpec site =>
            [
                $"Removed: the stacks of {ServedNames.Testing(site.Host)} and {site.Host}{(site.RedirectFrom.Count > 0 ? " and of the redirect names" : "")}: "
                    + "their distributions, certificates, Route53 A and AAAA records, the testing deploy role, and each environment's content bucket with every file "
                    + "and every earlier version in it (download what you want to keep first).",
                "Kept: the list of content versions (file names, sizes and hashes, not the files) in the portal.",
                $"Kept: the CloudFront access logs under CloudFront/testing/{site.Host}/ and CloudFront/production/{site.Host}/ until the log bucket's lifecycle expires them (365 days).",
                "Kept: the certificates' DNS validation CNAME records (CloudFormation leaves them; ACM reuses them for a new certificate of the same name), and the audit trail.",
            ],
            MtaStsSpec mta =>
            [
                $"First the policy is withdrawn as RFC 8461 section 8.3 asks: mode none with a new id is served until every earlier policy has expired from senders' caches "
                    + $"(at least max_age {mta.MaxAge.ToString(CultureInfo.InvariantCulture)} seconds, about {Days(mta.MaxAge)}, after mode none is published).",
                $"Then removed: the stack of mta-sts.{mta.Domain} (distribution, certificate, policy function, response headers policy, origin access control)"
                    + (mta.DnsInRoute53 ? $" and its Route53 records: mta-sts.{mta.Domain} A and AAAA, _mta-sts.{mta.Domain} and _smtp._tls.{mta.Domain} TXT." : $". Your DNS provider's records are yours to remove then: mta-sts.{mta.Domain}, _mta-sts.{mta.Domain} and _smtp._tls.{mta.Domain}."),
                $"Kept: the certificate's DNS validation CNAME record, the CloudFront access logs under CloudFront/mta-sts/{mta.Domain}/ until the log bucket's lifecycle expires them (365 days), and the audit trail.",
            ],
            _ => [],
        };
    }

    /// <summary>What finishing a retirement early risks, for the admin who confirms it.</summary>
    public static string EndingEarly(DateTimeOffset? until) =>
        "Senders that cached an earlier policy keep applying it until it expires"
        + (until is { } u ? $" (up to {u.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)})" : "")
        + "; once the policy host is gone they cannot learn that it was withdrawn, so mail to MX hosts the old policy does not allow, or without valid TLS, may be refused until then.";

    private static string Days(long seconds) => seconds < 86_400
        ? $"{Math.Max(1, seconds / 3600).ToString(CultureInfo.InvariantCulture)} hour(s)"
        : $"{(seconds / 86_400).ToString(CultureInfo.InvariantCulture)} day(s)";
}
