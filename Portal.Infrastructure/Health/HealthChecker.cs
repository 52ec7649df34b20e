using Portal.Core.Health;
using Portal.Core.Networking;
using Portal.Core.Requests;

namespace Portal.Infrastructure.Health;

/// <summary>Checks names: a mail domain's MTA-STS and TLS-RPT, a site's host, or whichever the name's DNS calls for.</summary>
public sealed class HealthChecker(DnsQueries dns, MtaStsChecker mail, SiteChecker site, OutboundAddressPolicy policy)
{
    /// <summary>
    /// Why checks of <paramref name="name"/> would connect nowhere: every address of the host they connect to (the site,
    /// or a mail domain's policy host) is one the outbound address policy refuses. Null when something may be checked.
    /// </summary>
    public async Task<string?> AddressRefusalAsync(string name, HealthCheckKind kind, CancellationToken ct = default)
    {
        var host = kind == HealthCheckKind.Mail ? ServedNames.MtaStsPolicyHost(Normalize(name)) : Normalize(name);
        var decisions = (await dns.AddressesAsync(host, ct)).Select(policy.Check).ToList();
        return decisions.Count > 0 && decisions.All(d => !d.Allowed) ? decisions[0].Refusal(host) : null;
    }

    public Task<HealthReport> CheckMailAsync(string domain, HealthReport? previous = null, CancellationToken ct = default) =>
        mail.CheckAsync(Normalize(domain), previous, ct);

    public Task<HealthReport> CheckSiteAsync(string host, HealthReport? previous = null, CancellationToken ct = default) =>
        site.CheckAsync(Normalize(host), previous, null, ct);

    /// <summary>A portal site's check: also asks for a missing path and judges the answer against <paramref name="missingPath"/>.</summary>
    public Task<HealthReport> CheckSiteAsync(string host, HealthReport? previous, MissingPathExpectation? missingPath, CancellationToken ct = default) =>
        site.CheckAsync(Normalize(host), previous, missingPath, ct);

    /// <summary>
    /// Without a kind: a name with an <c>_mta-sts</c> record or MX records is checked as a mail domain, a name with
    /// addresses as a site, and a name with both gets both reports.
    /// </summary>
    public async Task<IReadOnlyList<HealthReport>> CheckAsync(string name, HealthCheckKind? kind = null, CancellationToken ct = default)
    {
        name = Normalize(name);
        if (kind is HealthCheckKind.Mail)
        {
            return [await CheckMailAsync(name, null, ct)];
        }

        if (kind is HealthCheckKind.Site)
        {
            return [await CheckSiteAsync(name, null, ct)];
        }

        var sts = await dns.TxtAsync("_mta-sts." + name, ct);
        if (sts.Outcome == DnsOutcome.Failed)
        {
            return [await CheckMailAsync(name, null, ct)];
        }

        var isMail = sts.Outcome == DnsOutcome.Found || (await dns.MxAsync(name, ct)).Outcome == DnsOutcome.Found;
        var isSite = (await dns.AddressesAsync(name, ct)).Count > 0;
        var reports = new List<HealthReport>();
        if (isMail || !isSite)
        {
            reports.Add(await CheckMailAsync(name, null, ct));
        }

        if (isSite)
        {
            reports.Add(await CheckSiteAsync(name, null, ct));
        }

        return reports;
    }

    private static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
