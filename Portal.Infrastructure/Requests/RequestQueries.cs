using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;
using Portal.Core.Workflow;
using Portal.Core.Requests;

namespace Portal.Infrastructure.Requests;

/// <summary>
/// A row of a request list: enough to show and link, without revisions or history. <paramref name="TeamId"/> is the team
/// the request belongs to (its members may act on it), null for a person's own.
/// </summary>
public sealed record RequestSummary(Guid Id, RequestKind Kind, string Name, RequestState State, string OwnerName, DateTimeOffset UpdatedAt, string? TeamId = null);

public sealed record StateCount(RequestState State, int Count);

/// <summary>Read-only views of requests for dashboards and lists. Filtering, sorting and paging happen in the database.</summary>
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

    /// <summary>The most recently updated requests, newest first: the list's default order, without counting the rest.</summary>
    public async Task<IReadOnlyList<RequestSummary>> RecentAsync(int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Summaries(Order(db.Requests.AsNoTracking(), RequestSortField.UpdatedAt, descending: true))
            .Take(Math.Clamp(count, 1, RequestListQuery.MaxPageSize))
            .ToListAsync(ct);
    }

    public async Task<RequestPage> ListAsync(RequestListQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, RequestListQuery.MaxPageSize);
        var page = Math.Max(query.Page, 0);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = Filtered(db, query);
        var total = await rows.CountAsync(ct);
        var items = await Summaries(Order(rows, query.SortBy, query.Descending))
            .Skip(Paging.Skip(page, pageSize))
            .Take(pageSize)
            .ToListAsync(ct);
        return new RequestPage(items, total, page, pageSize);
    }

    /// <summary>The query's first page without counting every match: for a short list beside other content (the dashboard).</summary>
    public async Task<IReadOnlyList<RequestSummary>> FirstPageAsync(RequestListQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Summaries(Order(Filtered(db, query), query.SortBy, query.Descending))
            .Take(Math.Clamp(query.PageSize, 1, RequestListQuery.MaxPageSize))
            .ToListAsync(ct);
    }

    private static IQueryable<PortalRequest> Filtered(PortalDbContext db, RequestListQuery query)
    {
        var rows = db.Requests.AsNoTracking();
        if (query.Kind is { } kind)
        {
            rows = rows.Where(r => r.Kind == kind);
        }

        if (query.States.Count > 0)
        {
            var states = query.States.ToList();
            rows = rows.Where(r => states.Contains(r.State));
        }

        if (!string.IsNullOrEmpty(query.OwnerId) && query.TeamIds.Count > 0)
        {
            // The person's requests and their teams' (whose members may edit, upload and withdraw them).
            var owner = query.OwnerId;
            var teams = query.TeamIds.ToList();
            rows = rows.Where(r => r.OwnerId == owner || (r.TeamId != null && teams.Contains(r.TeamId)));
        }
        else if (!string.IsNullOrEmpty(query.OwnerId))
        {
            rows = rows.Where(r => r.OwnerId == query.OwnerId);
        }

        if (query.OnlyTeams is { } only)
        {
            var teams = only.ToList();
            rows = rows.Where(r => r.TeamId != null && teams.Contains(r.TeamId));
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            // Names are stored lower case (A-labels), so a lower-cased search matches on every provider.
            var term = query.Search.Trim().ToLowerInvariant();
#pragma warning disable CA1862 // EF Core translates ToLower().Contains to SQL on every provider; the StringComparison overload does not translate.
            rows = rows.Where(r => r.PrimaryName.Contains(term) || r.OwnerName.ToLower().Contains(term));
#pragma warning restore CA1862
        }

        return rows;
    }

    /// <summary>
    /// Sorts by the chosen column, then by id in the same direction so pages are stable among equal values. Each order
    /// matches an index on (column, Id), read forwards or backwards, so the database stops after one page instead of
    /// sorting every row.
    /// </summary>
    private static IOrderedQueryable<PortalRequest> Order(IQueryable<PortalRequest> rows, RequestSortField sortBy, bool descending) =>
        (sortBy, descending) switch
        {
            (RequestSortField.Name, false) => rows.OrderBy(r => r.PrimaryName).ThenBy(r => r.Id),
            (RequestSortField.Name, true) => rows.OrderByDescending(r => r.PrimaryName).ThenByDescending(r => r.Id),
            (RequestSortField.State, false) => rows.OrderBy(r => r.State).ThenBy(r => r.Id),
            (RequestSortField.State, true) => rows.OrderByDescending(r => r.State).ThenByDescending(r => r.Id),
            (RequestSortField.Owner, false) => rows.OrderBy(r => r.OwnerName).ThenBy(r => r.Id),
            (RequestSortField.Owner, true) => rows.OrderByDescending(r => r.OwnerName).ThenByDescending(r => r.Id),
            (RequestSortField.CreatedAt, false) => rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
            (RequestSortField.CreatedAt, true) => rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id),
            (_, false) => rows.OrderBy(r => r.UpdatedAt).ThenBy(r => r.Id),
            _ => rows.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id),
        };

    /// <summary>Only the columns a row shows.</summary>
    private static IQueryable<RequestSummary> Summaries(IQueryable<PortalRequest> rows) =>
        rows.Select(r => new RequestSummary(r.Id, r.Kind, r.PrimaryName, r.State, r.OwnerName, r.UpdatedAt, r.TeamId));
}
