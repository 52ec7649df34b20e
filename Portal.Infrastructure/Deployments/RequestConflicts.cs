using Amazon.Runtime;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Deployments;

/// <summary>Something that would stop a request later, shown beside the form before it is submitted.</summary>
public sealed record NameConflict(string Field, string Message);

/// <summary>
/// What the forms show before submit: a name another request already holds, and records in the hosted zone at the
/// names the stacks would create that the portal did not make (the preflight refuses both later; here they can still be
/// fixed by choosing another name).
/// </summary>
public sealed class RequestConflicts(IDbContextFactory<PortalDbContext> dbFactory, HostedZoneLookup zones, AwsAccess access)
{
    public async Task<IReadOnlyList<NameConflict>> FindAsync(RequestSpec spec, Guid? exceptRequest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var conflicts = new List<NameConflict>();
        if (string.IsNullOrEmpty(spec.PrimaryName) || HostNameRules.Check(spec.PrimaryName) is not null)
        {
            return conflicts;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var holders = await db.Requests.AsNoTracking()
                .Where(r => r.Kind == spec.Kind && r.PrimaryName == spec.PrimaryName && r.Id != exceptRequest)
                .Where(r => r.State != RequestState.Withdrawn && r.State != RequestState.Decommissioned)
                .Select(r => new { r.OwnerName, r.State }).ToListAsync(ct);
            conflicts.AddRange(holders.Select(h => new NameConflict(spec.Kind == RequestKind.Site ? "host" : "domain",
                $"'{spec.PrimaryName}' already belongs to a request of {h.OwnerName} ({WorkflowRules.Describe(h.State)}).")));
        }

        var zoneId = spec switch
        {
            SiteSpec site => site.HostedZoneId,
            MtaStsSpec { DnsInRoute53: true } mta => mta.HostedZoneId!,
            _ => "",
        };
        if (zoneId.Length == 0 || !(await access.GetStatusAsync(ct)).CanDeploy)
        {
            return conflicts;
        }

        var planned = HostedZoneLookup.PlannedRecords(spec, DeploymentEnvironment.Testing)
            .Concat(HostedZoneLookup.PlannedRecords(spec, DeploymentEnvironment.Production)).Distinct().ToList();
        try
        {
            var found = await zones.FindConflictsAsync(zoneId, planned, exceptRequest, ct);
            conflicts.AddRange(found.Select(c => new NameConflict(c.Field, c.Message)));
        }
        catch (AmazonServiceException)
        {
            // An unknown zone or a refused read is the zone field's and the preflight's to report; a name check says nothing.
        }

        return conflicts;
    }
}
