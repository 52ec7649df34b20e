using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;
using Portal.Core.Workflow;

namespace Portal.Core.Requests;

/// <summary>A row of a request list: enough to show and link, without revisions or history.</summary>
public sealed record RequestSummary(Guid Id, RequestKind Kind, string Name, RequestState State, string OwnerName, DateTimeOffset UpdatedAt);

public sealed record StateCount(RequestState State, int Count);

/// <summary>Read-only views of requests for dashboards and lists.</summary>
public sealed class RequestQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<StateCount>> CountByStateAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Requests.AsNoTracking()
            .GroupBy(r => r.State)
            .Select(g => new StateCount(g.Key, g.Count()))
            .ToListAsync(ct);
        return rows.OrderBy(r => r.State).ToList();
    }

    public async Task<IReadOnlyList<RequestSummary>> RecentAsync(int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Requests.AsNoTracking()
            .OrderByDescending(r => r.UpdatedAt)
            .Take(Math.Clamp(count, 1, 200))
            .Select(r => new RequestSummary(r.Id, r.Kind, r.PrimaryName, r.State, r.OwnerName, r.UpdatedAt))
            .ToListAsync(ct);
    }
}
