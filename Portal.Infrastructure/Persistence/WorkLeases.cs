using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;

namespace Portal.Infrastructure.Persistence;

/// <summary>Named leases in the database: one replica at a time does the work a lease names.</summary>
public sealed class WorkLeases(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Takes or renews the lease; false while another owner holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var until = now + duration;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var taken = await db.WorkLeases
            .Where(l => l.Name == name && (l.Owner == owner || l.Until < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, owner).SetProperty(l => l.Until, until), ct);
        if (taken == 1)
        {
            return true;
        }

        if (await db.WorkLeases.AnyAsync(l => l.Name == name, ct))
        {
            return false;
        }

        db.WorkLeases.Add(new WorkLease { Name = name, Owner = owner, Until = until });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another replica created the lease at the same moment.
            return false;
        }
    }

    public async Task ReleaseAsync(string name, string owner, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.WorkLeases.Where(l => l.Name == name && l.Owner == owner).ExecuteDeleteAsync(ct);
    }
}
