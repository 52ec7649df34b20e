using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Core.Requests;
using Portal.Core.TlsReports;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.TlsReports;

public enum IntakeOutcome
{
    Stored,
    Duplicate,
    UnknownDomain,
    Invalid,
}

/// <summary>What became of a received report, with the sentences the sender gets back when it was refused.</summary>
public sealed record IntakeResult(IntakeOutcome Outcome, IReadOnlyList<string> Problems, Guid? StoredId = null);

/// <summary>
/// Takes a report posted to a mail domain's report address: the domain must be one of the portal's MTA-STS policies,
/// the report must fit the schema and name that domain, and it is saved (raw text and figures) in one row, so a
/// restart never leaves half a report. A report id already kept for the domain is acknowledged without a second copy.
/// </summary>
public sealed partial class TlsReportIntake(IDbContextFactory<PortalDbContext> dbFactory, TlsReportSchema schema, TimeProvider clock, ILogger<TlsReportIntake> logger)
{
    private static readonly RequestState[] Inactive = [RequestState.Draft, RequestState.Withdrawn, RequestState.Decommissioned];

    /// <summary>Whether the portal manages an MTA-STS policy for the domain (one that has left draft and is not gone).</summary>
    public async Task<bool> ManagesAsync(string mailDomain, CancellationToken ct = default)
    {
        var domain = Normalize(mailDomain);
        if (domain is null)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Requests.AnyAsync(r => r.Kind == RequestKind.MtaSts && r.PrimaryName == domain && !Inactive.Contains(r.State), ct);
    }

    public async Task<IntakeResult> ReceiveAsync(string mailDomain, byte[] json, TlsReportEncoding encoding, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        var domain = Normalize(mailDomain);
        if (domain is null || !await ManagesAsync(domain, ct))
        {
            return new IntakeResult(IntakeOutcome.UnknownDomain, [$"This portal takes no TLS reports for {mailDomain}."]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return new IntakeResult(IntakeOutcome.Invalid, [$"The report is not JSON: {e.Message}"]);
        }

        TlsReport report;
        using (document)
        {
            var problems = schema.Validate(document.RootElement);
            if (problems.Count > 0)
            {
                return new IntakeResult(IntakeOutcome.Invalid, problems);
            }

            var parsed = TlsReportParser.Parse(document.RootElement);
            if (parsed.Report is null)
            {
                return new IntakeResult(IntakeOutcome.Invalid, parsed.Errors);
            }

            report = parsed.Report;
        }

        if (!report.PolicyDomains.Contains(domain, StringComparer.Ordinal))
        {
            return new IntakeResult(IntakeOutcome.Invalid,
                [$"The report is about {string.Join(", ", report.PolicyDomains)}, not {domain}: send it to that domain's report address."]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.TlsReports.AsNoTracking().Where(r => r.MailDomain == domain && r.ReportId == report.ReportId).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            return new IntakeResult(IntakeOutcome.Duplicate, [], existing);
        }

        var stored = StoredTlsReport.From(domain, report, json, encoding, clock.GetUtcNow());
        db.TlsReports.Add(stored);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            // The same report arrived twice at once (a sender's retry racing the first try, or two replicas): one copy stays.
            return new IntakeResult(IntakeOutcome.Duplicate, []);
        }

        LogKept(logger, stored.ReportId, stored.Organization, domain, stored.SuccessfulSessions, stored.FailedSessions);
        return new IntakeResult(IntakeOutcome.Stored, [], stored.Id);
    }

    internal static string? Normalize(string? mailDomain)
    {
        var domain = mailDomain?.Trim().TrimEnd('.').ToLowerInvariant();
        return string.IsNullOrEmpty(domain) || domain.Length > 253 || HostNameRules.Check(domain) is not null ? null : domain;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept TLS report {ReportId} from {Organization} for {Domain}: {Successful} successful, {Failed} failed sessions")]
    private static partial void LogKept(ILogger logger, string reportId, string organization, string domain, long successful, long failed);
}
