using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Aws.Route53;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Deployments;

namespace Portal.Infrastructure.Deployments;

public sealed record HostedZoneMatch(string Id, string Name);

/// <summary>A record a stack would create that already exists and is not the portal's.</summary>
public sealed record RecordConflict(string Field, string Name, string Type, string Existing)
{
    public string Message => $"{Name} {Type} already exists in Route53 ({Existing}) and was not made by the portal; remove it or choose another name.";
}

/// <summary>A DNS record one of a request's stacks creates.</summary>
public sealed record PlannedRecord(string Field, string Name, string Type);

/// <summary>
/// Route53 for the request forms: which hosted zone serves a name, and whether the records a request's stacks would
/// create already exist for someone else, which is refused before any deployment.
/// </summary>
public sealed class HostedZoneLookup(IRoute53Client route53, IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The public hosted zone of the longest suffix of <paramref name="name"/>, or null.</summary>
    public async Task<HostedZoneMatch?> FindZoneAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var labels = name.TrimEnd('.').ToLowerInvariant().Split('.');
        for (var i = 0; i < labels.Length - 1; i++)
        {
            var candidate = string.Join('.', labels[i..]) + ".";
            var page = await route53.ListHostedZonesByNameAsync(new ListHostedZonesByNameRequest { DNSName = candidate, MaxItems = 10 }, ct);
            var zone = page.HostedZones.FirstOrDefault(z => z.Name.Equals(candidate, StringComparison.OrdinalIgnoreCase) && !z.PrivateZone);
            if (zone is not null)
            {
                return new HostedZoneMatch(zone.ShortId, zone.Name.TrimEnd('.'));
            }
        }

        return null;
    }

    /// <summary>The A/AAAA/TXT records the request's stacks create in its hosted zone, per environment.</summary>
    public static IReadOnlyList<PlannedRecord> PlannedRecords(RequestSpec spec, DeploymentEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var records = new List<PlannedRecord>();
        switch (spec)
        {
            case SiteSpec site:
                var host = ServedNames.Site(site.Host, environment);
                records.Add(new("host", host, "A"));
                records.Add(new("host", host, "AAAA"));
                foreach (var redirect in site.RedirectFrom)
                {
                    var from = ServedNames.Site(redirect, environment);
                    records.Add(new("redirectFrom", from, "A"));
                    records.Add(new("redirectFrom", from, "AAAA"));
                }

                break;
            case MtaStsSpec mta when mta.DnsInRoute53:
                records.Add(new("domain", ServedNames.MtaStsPolicyHost(mta.Domain), "A"));
                records.Add(new("domain", ServedNames.MtaStsPolicyHost(mta.Domain), "AAAA"));
                records.Add(new("domain", "_mta-sts." + mta.Domain, "TXT"));
                if (mta.TlsRptRua.Count > 0)
                {
                    records.Add(new("tlsRptRua", "_smtp._tls." + mta.Domain, "TXT"));
                }

                break;
        }

        return records;
    }

    /// <summary>
    /// Existing records the stacks would collide with. A record pointing at a distribution of one of the portal's own
    /// stacks (a redeployment) is no conflict.
    /// </summary>
    public async Task<IReadOnlyList<RecordConflict>> FindConflictsAsync(string hostedZoneId, IReadOnlyList<PlannedRecord> planned, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var ours = await OurDistributionNamesAsync(ct);
        var conflicts = new List<RecordConflict>();
        foreach (var record in planned)
        {
            var name = record.Name.TrimEnd('.') + ".";
            var page = await route53.ListResourceRecordSetsAsync(new ListResourceRecordSetsRequest
            {
                HostedZoneId = hostedZoneId, StartRecordName = name, StartRecordType = record.Type, MaxItems = 1,
            }, ct);
            var existing = page.ResourceRecordSets.FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && r.Type == record.Type);
            if (existing is null)
            {
                continue;
            }

            if (existing.AliasTarget is { } alias && ours.Contains(alias.DNSName.TrimEnd('.').ToLowerInvariant()))
            {
                continue;
            }

            var describe = existing.AliasTarget is { } a ? "alias to " + a.DNSName.TrimEnd('.') : string.Join(", ", existing.ResourceRecords);
            conflicts.Add(new RecordConflict(record.Field, record.Name, record.Type, describe));
        }

        return conflicts;
    }

    private async Task<HashSet<string>> OurDistributionNamesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var outputs = await db.Stacks.AsNoTracking().Where(s => !s.Deleted).Select(s => s.OutputsJson).ToListAsync(ct);
        return outputs.Select(o => JsonSerializer.Deserialize<Dictionary<string, string>>(o) ?? [])
            .Where(o => o.ContainsKey("DistributionDomainName"))
            .Select(o => o["DistributionDomainName"].TrimEnd('.').ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
    }
}
