using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Aws.Route53;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Deployments;
using Portal.Core.Templates;

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
    /// Existing records the stacks would collide with: a record of the same type, or a CNAME at the name (a CNAME
    /// cannot share its name with any other record, RFC 1034 section 3.6.2, so Route53 refuses the stack's record). A
    /// record the portal's own stacks made is no conflict (a redeployment): an alias to one of their distributions, or
    /// a TXT record while the request's MTA-STS stack stands (one stack serves both environments and is the only kind
    /// that creates TXT records; CloudFormation could not have completed it had the records been someone else's). With
    /// <paramref name="requestId"/>, only that request's stacks count as the portal's own.
    /// ACM's validation CNAMEs live at <c>_&lt;token&gt;.name</c>, never at a served name, so they never conflict.
    /// </summary>
    public async Task<IReadOnlyList<RecordConflict>> FindConflictsAsync(
        string hostedZoneId, IReadOnlyList<PlannedRecord> planned, Guid? requestId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var (ours, standing) = await OursAsync(requestId, ct);
        var conflicts = new List<RecordConflict>();
        var atName = new Dictionary<string, IReadOnlyList<ResourceRecordSet>>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in planned)
        {
            var name = record.Name.TrimEnd('.') + ".";
            if (!atName.TryGetValue(name, out var existing))
            {
                // Route53 sorts a name's records by type, and one name holds few: one page from the name holds them all.
                var page = await route53.ListResourceRecordSetsAsync(new ListResourceRecordSetsRequest
                {
                    HostedZoneId = hostedZoneId, StartRecordName = name, MaxItems = 20,
                }, ct);
                existing = page.ResourceRecordSets.Where(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
                atName[name] = existing;
            }

            foreach (var found in existing.Where(r => r.Type == record.Type || (r.Type == "CNAME" && record.Type != "CNAME")))
            {
                if (found.AliasTarget is { } alias && ours.Contains(alias.DNSName.TrimEnd('.').ToLowerInvariant()))
                {
                    continue;
                }

                if (found.Type == "TXT" && standing)
                {
                    continue;
                }

                if (conflicts.Any(c => c.Name == record.Name && c.Type == found.Type))
                {
                    continue;
                }

                var describe = found.AliasTarget is { } a ? "alias to " + a.DNSName.TrimEnd('.') : string.Join(", ", found.ResourceRecords);
                conflicts.Add(new RecordConflict(record.Field, record.Name, found.Type, describe));
            }
        }

        return conflicts;
    }

    private async Task<(HashSet<string> Distributions, bool Standing)> OursAsync(Guid? requestId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stacks = await db.Stacks.AsNoTracking().Where(s => !s.Deleted)
            .Where(s => requestId == null || s.RequestId == requestId)
            .Select(s => new { s.OutputsJson, s.Kind, s.Status }).ToListAsync(ct);
        var names = stacks.Select(s => JsonSerializer.Deserialize<Dictionary<string, string>>(s.OutputsJson) ?? [])
            .Where(o => o.ContainsKey("DistributionDomainName"))
            .Select(o => o["DistributionDomainName"].TrimEnd('.').ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
        var standing = requestId is not null
            && stacks.Any(s => s.Kind == StackKind.MtaSts && s.Status is { } status && Aws.CloudFormation.StackStatus.IsSuccess(status));
        return (names, standing);
    }
}
