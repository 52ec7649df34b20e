using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;
using Portal.Core.Workflow;

namespace Portal.Infrastructure.Audit;

/// <summary>Filters of the audit log page; all optional. Dates are inclusive from, exclusive to.</summary>
public sealed record AuditLogQuery
{
    public const int MaxPageSize = 500;

    public Guid? RequestId { get; init; }

    /// <summary>Matches the actor's id exactly or their display name in part.</summary>
    public string? Person { get; init; }

    public string? Action { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public int Page { get; init; }

    public int PageSize { get; init; } = 50;
}

public sealed record AuditLogEntry(
    Guid Id, Guid RequestId, string RequestName, int Sequence, int RevisionNumber, DateTimeOffset At,
    string ActorId, string ActorName, string Action, RequestState? FromState, RequestState ToState, string? Reason);

public sealed record AuditLogPage(IReadOnlyList<AuditLogEntry> Items, int TotalCount, int Page, int PageSize);

/// <summary>Reads the audit trail, newest first, and exports it as CSV.</summary>
public sealed class AuditLogQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<AuditLogPage> ListAsync(AuditLogQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, AuditLogQuery.MaxPageSize);
        var page = Math.Max(query.Page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = Filter(db, query);
        var total = await rows.CountAsync(ct);
        var items = await Project(db, rows.OrderByDescending(e => e.At).ThenByDescending(e => e.Sequence).Skip(Paging.Skip(page, pageSize)).Take(pageSize)).ToListAsync(ct);
        return new AuditLogPage(items, total, page, pageSize);
    }

    /// <summary>Writes every matching entry as RFC 4180 CSV, oldest first, streaming so a long history does not sit in memory.</summary>
    public async Task ExportCsvAsync(AuditLogQuery query, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteAsync("at,request_id,request,revision,sequence,actor_id,actor,action,from,to,reason\r\n");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = Project(db, Filter(db, query).OrderBy(e => e.At).ThenBy(e => e.RequestId).ThenBy(e => e.Sequence)).AsAsyncEnumerable();
        await foreach (var e in rows.WithCancellation(ct))
        {
            await output.WriteAsync(AuditCsv.Row(
                e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                e.RequestId.ToString(), e.RequestName, e.RevisionNumber.ToString(CultureInfo.InvariantCulture),
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.ActorId, e.ActorName, e.Action,
                e.FromState?.ToString() ?? "", e.ToState.ToString(), e.Reason ?? ""));
        }
    }

    private static IQueryable<Portal.Core.Requests.AuditEvent> Filter(PortalDbContext db, AuditLogQuery query)
    {
        var rows = db.AuditEvents.AsNoTracking();
        if (query.RequestId is { } id)
        {
            rows = rows.Where(e => e.RequestId == id);
        }

        if (!string.IsNullOrWhiteSpace(query.Person))
        {
            var person = query.Person.Trim();
            var lower = person.ToLowerInvariant();
#pragma warning disable CA1862 // EF Core translates ToLower().Contains to SQL on every provider; the StringComparison overload does not translate.
            rows = rows.Where(e => e.ActorId == person || e.ActorName.ToLower().Contains(lower));
#pragma warning restore CA1862
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            rows = rows.Where(e => e.Action == query.Action);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(e => e.At < to);
        }

        return rows;
    }

    private static IQueryable<AuditLogEntry> Project(PortalDbContext db, IQueryable<Portal.Core.Requests.AuditEvent> rows) =>
        from e in rows
        join r in db.Requests on e.RequestId equals r.Id
        select new AuditLogEntry(e.Id, e.RequestId, r.PrimaryName, e.Sequence, e.RevisionNumber, e.At, e.ActorId, e.ActorName, e.Action, e.FromState, e.ToState, e.Reason);
}

/// <summary>RFC 4180 CSV, hardened against formula injection when the file is opened in a spreadsheet.</summary>
public static class AuditCsv
{
    public static string Row(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var line = new StringBuilder();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Field(fields[i]));
        }

        return line.Append("\r\n").ToString();
    }

    public static string Field(string? value)
    {
        value ??= "";

        // A cell starting with = + - @ (or a tab/CR) is run as a formula by spreadsheets: prefix it so it stays text.
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
