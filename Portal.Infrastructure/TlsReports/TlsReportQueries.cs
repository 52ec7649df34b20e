using Microsoft.EntityFrameworkCore;
using Portal.Core.TlsReports;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.TlsReports;

/// <summary>One received report as the report page lists it.</summary>
public sealed record TlsReportListItem(Guid Id, string ReportId, string Organization, DateTimeOffset StartDate, DateTimeOffset EndDate, DateTimeOffset ReceivedAt, long SuccessfulSessions, long FailedSessions, string Encoding);

/// <summary>A mail domain's received reports: the list, their summary, one report's raw text.</summary>
public sealed class TlsReportQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Most reports read for a summary; a domain gets one or a few a day per sender.</summary>
    public const int MaxReports = 5000;

    public async Task<IReadOnlyList<TlsReportListItem>> ListAsync(string mailDomain, DateTimeOffset? since = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.TlsReports.AsNoTracking().Where(r => r.MailDomain == mailDomain);
        if (since is { } s)
        {
            query = query.Where(r => r.StartDate >= s);
        }

        return await query.OrderByDescending(r => r.StartDate).ThenBy(r => r.Id).Take(MaxReports)
            .Select(r => new TlsReportListItem(r.Id, r.ReportId, r.Organization, r.StartDate, r.EndDate, r.ReceivedAt, r.SuccessfulSessions, r.FailedSessions, r.Encoding))
            .ToListAsync(ct);
    }

    /// <summary>The domain's reports added up (those that started at or after <paramref name="since"/>, when given).</summary>
    public async Task<TlsReportSummary> SummaryAsync(string mailDomain, DateTimeOffset? since = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.TlsReports.AsNoTracking().Where(r => r.MailDomain == mailDomain);
        if (since is { } s)
        {
            query = query.Where(r => r.StartDate >= s);
        }

        var stored = await query.OrderByDescending(r => r.StartDate).Take(MaxReports).ToListAsync(ct);
        return TlsReportSummary.Of(stored.Select(r => r.Parse()).OfType<TlsReport>());
    }

    /// <summary>One report of the domain, raw; null when there is no such report for that domain.</summary>
    public async Task<StoredTlsReport?> RawAsync(string mailDomain, Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TlsReports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.MailDomain == mailDomain, ct);
    }
}
