using Microsoft.EntityFrameworkCore;

namespace Portal.Identity.BuiltIn;

/// <summary>One stored security event as the admin page shows it.</summary>
public sealed record SecurityEventRow(DateTimeOffset At, string Kind, string? Subject, string? Name, string? Detail, string? By, string? Client);

/// <summary>A page of security events, newest first, and how many match the filter in all.</summary>
public sealed record SecurityEventPage(IReadOnlyList<SecurityEventRow> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => PagesFor(Total, PageSize);

    /// <summary>How many pages <paramref name="total"/> rows fill; an empty log is one empty page.</summary>
    public static int PagesFor(int total, int pageSize) => Math.Max(1, (total + pageSize - 1) / pageSize);
}

/// <summary>What a security-event query asks for: an optional kind, a 1-based page and its size.</summary>
public sealed record SecurityEventQuery(SecurityEventKind? Kind = null, int Page = 1, int PageSize = 50);

/// <summary>
/// Reads what <see cref="SecurityAudit"/> stored (sign-ins refused and why, lockouts, step-ups, role denials, admin
/// changes) for the admins' page. Each read in a scope of its own: a Blazor circuit lives long, a database context should not.
/// </summary>
public sealed class SecurityEventLog(IServiceScopeFactory scopes)
{
    public const int MaxPageSize = 200;

    public async Task<SecurityEventPage> ListAsync(SecurityEventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = Math.Max(1, query.Page);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>();
        var events = db.SecurityEvents.AsNoTracking();
        if (query.Kind is { } kind)
        {
            var name = kind.ToString();
            events = events.Where(e => e.Kind == name);
        }

        var total = await events.CountAsync(cancellationToken);
        page = Math.Min(page, SecurityEventPage.PagesFor(total, pageSize));
        var rows = await events
            .OrderByDescending(e => e.AtUnixMs).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return new SecurityEventPage(
            [.. rows.Select(e => new SecurityEventRow(DateTimeOffset.FromUnixTimeMilliseconds(e.AtUnixMs), e.Kind, e.Subject, e.Name, e.Detail, e.By, e.Client))],
            total, page, pageSize);
    }
}
