using Microsoft.EntityFrameworkCore;
using Portal.Core.Health;
using Portal.Core.TlsReports;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.TlsReports;

/// <summary>The MX transport results of a mail domain's newest stored health check (<see cref="MxTransportResults.FromHealthCheck"/>).</summary>
public sealed class HealthMxTransportResults(IDbContextFactory<PortalDbContext> dbFactory) : IMxTransportResults
{
    public async Task<MxTransportResults> ForDomainAsync(string mailDomain, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.HealthTargets.AsNoTracking().Where(t => t.Name == mailDomain && t.Kind == HealthCheckKind.Mail).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (target is null)
        {
            return MxTransportResults.None("the mail domain is not on the health dashboard.");
        }

        var latest = await db.HealthResults.AsNoTracking().Where(r => r.TargetId == target).OrderByDescending(r => r.CheckedAt).FirstOrDefaultAsync(ct);
        if (latest is null)
        {
            return MxTransportResults.None("the mail domain has not been checked yet.");
        }

        return MxTransportResults.FromHealthCheck(latest.CheckedAt, latest.MxHosts, latest.Findings)
            ?? MxTransportResults.None("the newest health check holds no MX transport results.");
    }
}
