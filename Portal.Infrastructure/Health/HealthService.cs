using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Observability;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Core.Health;

namespace Portal.Infrastructure.Health;

public sealed record HealthTargetSummary(
    Guid Id, string Name, HealthCheckKind Kind, Guid? RequestId, DateTimeOffset? LastCheckedAt, FindingSeverity? Worst,
    string? Grade, string? Mode, DateTimeOffset? CertificateExpires, DateTimeOffset NextCheckAt);

/// <summary>The dashboard's rows and the recent results its trend is drawn from.</summary>
public sealed record HealthDashboardData(IReadOnlyList<HealthRow> Rows, IReadOnlyList<HealthResultPoint> History);

public sealed record HealthScanResult(int Checked, int Alerts, int LostClaims);

/// <summary>The watched target's id, or why the name is not watched (<paramref name="Code"/> and a sentence for the person).</summary>
public sealed record HealthWatchResult(Guid? Id, RefusalCode? Code, string? Problem)
{
    public static HealthWatchResult Watching(Guid id) => new(id, null, null);

    public static HealthWatchResult Refused(RefusalCode code, string problem) => new(null, code, problem);

    public void Deconstruct(out Guid? id, out string? problem)
    {
        id = Id;
        problem = Problem;
    }
}

/// <summary>
/// A check run on request: its report (null when a scan holds the target and stores its result shortly), the watched
/// target, or a refusal before anything was checked.
/// </summary>
public sealed record HealthRunResult(HealthReport? Report, Guid? TargetId, RefusalCode? Code, string? Problem)
{
    /// <summary>Whether the name is on the watch list now; not for a refusal or a name whose addresses were all refused.</summary>
    public bool Watched { get; init; } = TargetId is not null;
}

/// <summary>
/// Keeps the watched names in step with the requests, runs checks on schedule and on demand, stores every result and
/// raises alerts once per change. Scans may run on several replicas at once: each target is claimed with an
/// optimistic concurrency check, so exactly one replica checks it.
/// </summary>
public sealed class HealthService(
    IDbContextFactory<PortalDbContext> dbFactory, HealthChecker checker, IEnumerable<IAlertSink> sinks, IOptions<HealthOptions> options, TimeProvider clock, PortalMetrics? metrics = null,
    HealthStatusFeed? feed = null)
{
    /// <summary>Adds a target for every provisioned name that has none: sites from testing onwards, mail domains likewise.</summary>
    public async Task<int> SyncFromRequestsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var requests = await db.Requests.AsNoTracking()
            .Where(r => r.State == RequestState.TestingReady || r.State == RequestState.AwaitingApproval || r.State == RequestState.Approved
                || r.State == RequestState.ProductionDeploying || r.State == RequestState.Live || r.State == RequestState.ProductionFailed
                || r.State == RequestState.DecommissionRequested || r.State == RequestState.Adopted)
            .Select(r => new { r.Id, r.Kind, r.PrimaryName, r.LiveRevisionNumber })
            .ToListAsync(ct);
        var existing = (await db.HealthTargets.AsNoTracking().Select(t => new { t.Name, t.Kind }).ToListAsync(ct))
            .Select(t => (t.Name, t.Kind)).ToHashSet();
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var r in requests)
        {
            var wanted = r.Kind == RequestKind.MtaSts
                ? new[] { (r.PrimaryName, HealthCheckKind.Mail) }
                : r.LiveRevisionNumber is null ? [(ServedNames.Testing(r.PrimaryName), HealthCheckKind.Site)] : [(ServedNames.Testing(r.PrimaryName), HealthCheckKind.Site), (r.PrimaryName, HealthCheckKind.Site)];
            foreach (var (name, kind) in wanted.Where(w => existing.Add(w)))
            {
                db.HealthTargets.Add(HealthTarget.Create(name, kind, r.Id, Actor.SystemId, now));
                added++;
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Another replica added the same names a moment ago; they are watched either way.
            return 0;
        }

        return added;
    }

    /// <summary>
    /// Watches a name a person asked for by hand (any site or mail domain, not only the portal's own). Refused for a
    /// person without a portal role, past <see cref="HealthOptions.MaxWatchedNamesPerPerson"/>, and for a name whose
    /// checks would connect nowhere because every address it resolves to is refused by the outbound address policy.
    /// </summary>
    public async Task<HealthWatchResult> AddAsync(string name, HealthCheckKind kind, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        name = Normalize(name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (existing, refusal) = await MayWatchAsync(db, name, kind, actor, ct);
        if (refusal is not null || existing is not null)
        {
            return refusal ?? HealthWatchResult.Watching(existing!.Value);
        }

        if (await checker.AddressRefusalAsync(name, kind, ct) is { } refused)
        {
            return HealthWatchResult.Refused(RefusalCode.ConditionNotMet, refused + "; the name is not watched.");
        }

        var target = HealthTarget.Create(name, kind, null, actor.Id, clock.GetUtcNow());
        db.HealthTargets.Add(target);
        await db.SaveChangesAsync(ct);
        feed?.Publish(new HealthChange(target.Id, target.Name, target.Kind, null));
        return HealthWatchResult.Watching(target.Id);
    }

    /// <summary>
    /// Checks a name now for a person. A watched name is checked and its result stored as <see cref="CheckNowAsync"/>
    /// does; any other name is checked once and then watched with that first result, under the same rules as
    /// <see cref="AddAsync"/>, except that a name whose addresses were all refused is reported and not watched.
    /// </summary>
    public async Task<HealthRunResult> RunAsync(string name, HealthCheckKind kind, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        name = Normalize(name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (existing, refusal) = await MayWatchAsync(db, name, kind, actor, ct);
        if (refusal is not null)
        {
            return new HealthRunResult(null, null, refusal.Code, refusal.Problem);
        }

        if (existing is { } id)
        {
            return new HealthRunResult(await CheckNowAsync(id, ct), id, null, null);
        }

        var report = kind == HealthCheckKind.Mail ? await checker.CheckMailAsync(name, null, ct) : await checker.CheckSiteAsync(name, null, ct);
        if (report.AddressRefused)
        {
            return new HealthRunResult(report, null, null, null);
        }

        var target = HealthTarget.Create(name, kind, null, actor.Id, clock.GetUtcNow());
        db.HealthTargets.Add(target);
        try
        {
            var alerts = await RecordAsync(db, target, report, ct);
            await SendAsync(alerts, ct);
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // Someone added the same name a moment ago; it is watched, and this result is still the answer.
            return new HealthRunResult(report, null, null, null) { Watched = true };
        }

        return new HealthRunResult(report, target.Id, null, null);
    }

    /// <summary>The watched target of that name, or why the person may not add one; neither when they may.</summary>
    private async Task<(Guid? Existing, HealthWatchResult? Refusal)> MayWatchAsync(PortalDbContext db, string name, HealthCheckKind kind, Actor actor, CancellationToken ct)
    {
        if (HostNameRules.Check(name) is { } problem)
        {
            return (null, HealthWatchResult.Refused(RefusalCode.Invalid, "The name " + problem));
        }

        // Every check connects out from the portal's network, so only people the portal knows may ask for them.
        if (actor.IsSystem || actor.Roles.Count == 0)
        {
            return (null, HealthWatchResult.Refused(RefusalCode.RoleRequired, "Checking and watching names needs a portal role (requester, approver or admin)."));
        }

        var existing = await db.HealthTargets.AsNoTracking().Where(t => t.Name == name && t.Kind == kind).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (existing is not null)
        {
            return (existing, null);
        }

        var limit = options.Value.MaxWatchedNamesPerPerson;
        var watched = await db.HealthTargets.CountAsync(t => t.AddedBy == actor.Id && t.RequestId == null, ct);
        if (watched >= limit)
        {
            return (null, HealthWatchResult.Refused(RefusalCode.ConditionNotMet,
                $"You already watch {(watched == 1 ? "1 name" : $"{watched} names")}, the most one person may add (Health:MaxWatchedNamesPerPerson is {limit}); {name} is not watched."));
        }

        return (null, null);
    }

    private static string Normalize(string? name) => (name ?? "").Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>Checks one target now, stores the result and sends its alerts; null when there is no such target or a scan is checking it already.</summary>
    public async Task<HealthReport?> CheckNowAsync(Guid targetId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.HealthTargets.SingleOrDefaultAsync(t => t.Id == targetId, ct);
        if (target is null)
        {
            return null;
        }

        target.Claim(clock.GetUtcNow() + options.Value.ClaimLease);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A scan on this or another replica claimed the target a moment ago; its result is stored shortly.
            return null;
        }

        var (report, alerts) = await RunAndRecordAsync(db, target, ct);
        await SendAsync(alerts, ct);
        return report;
    }

    /// <summary>Checks every target that is due, at most <see cref="HealthOptions.MaxConcurrency"/> at a time.</summary>
    public async Task<HealthScanResult> ScanDueAsync(int batchSize = 500, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        List<Guid> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.HealthTargets.AsNoTracking().Where(t => t.NextCheckAt <= now).OrderBy(t => t.NextCheckAt)
                .Select(t => t.Id).Take(batchSize).ToListAsync(ct);
        }

        var checkedCount = 0;
        var alertCount = 0;
        var lost = 0;
        using var gate = new SemaphoreSlim(options.Value.MaxConcurrency);
        var tasks = due.Select(async id =>
        {
            await gate.WaitAsync(ct);
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var target = await db.HealthTargets.SingleOrDefaultAsync(t => t.Id == id, ct);
                if (target is null || target.NextCheckAt > clock.GetUtcNow())
                {
                    Interlocked.Increment(ref lost);
                    return;
                }

                target.Claim(clock.GetUtcNow() + options.Value.ClaimLease);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateConcurrencyException)
                {
                    Interlocked.Increment(ref lost);
                    return;
                }

                var (_, alerts) = await RunAndRecordAsync(db, target, ct);
                Interlocked.Increment(ref checkedCount);
                Interlocked.Add(ref alertCount, alerts.Count);
                await SendAsync(alerts, ct);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        return new HealthScanResult(checkedCount, alertCount, lost);
    }

    public async Task<IReadOnlyList<HealthTargetSummary>> ListAsync(CancellationToken ct = default) => await ListAsync(null, ct);

    /// <summary>The names a request provisions, with their latest health.</summary>
    public async Task<IReadOnlyList<HealthTargetSummary>> ListAsync(Guid? requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.HealthTargets.AsNoTracking()
            .Where(t => requestId == null || t.RequestId == requestId)
            .Select(t => new HealthTargetSummary(t.Id, t.Name, t.Kind, t.RequestId, t.LastCheckedAt, t.LastWorst, t.LastGrade, t.LastMode, t.CertificateExpires, t.NextCheckAt))
            .ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Kind)];
    }

    /// <summary>
    /// Everything the dashboard shows: every watched name with its latest figures (a mail domain's TLS-RPT record read
    /// from the findings of its latest result) and the results of the last <paramref name="trendDays"/> days for the trend.
    /// </summary>
    public async Task<HealthDashboardData> DashboardAsync(int trendDays = 14, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var targets = await db.HealthTargets.AsNoTracking()
            .Select(t => new { t.Id, t.Name, t.Kind, t.LastCheckedAt, t.LastWorst, t.LastGrade, t.LastMode, t.CertificateExpires })
            .ToListAsync(ct);
        var latestMail = await (
                from t in db.HealthTargets.AsNoTracking()
                where t.Kind == HealthCheckKind.Mail && t.LastCheckedAt != null
                join r in db.HealthResults.AsNoTracking() on new { Id = t.Id, At = t.LastCheckedAt!.Value } equals new { Id = r.TargetId, At = r.CheckedAt }
                select new { t.Id, r.FindingsJson })
            .ToListAsync(ct);
        var tlsRpt = latestMail.GroupBy(m => m.Id).ToDictionary(
            g => g.Key,
            g => HealthStatuses.TlsRpt(System.Text.Json.JsonSerializer.Deserialize<List<Finding>>(g.First().FindingsJson) ?? []));
        var rows = targets
            .Select(t => new HealthRow(t.Id, t.Name, t.Kind, t.LastCheckedAt, t.LastWorst, t.LastGrade, t.LastMode, t.CertificateExpires,
                tlsRpt.GetValueOrDefault(t.Id, TlsRptPresence.Unknown)))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Kind)
            .ToList();
        var since = clock.GetUtcNow().AddDays(-Math.Clamp(trendDays, 1, 90));
        var history = await db.HealthResults.AsNoTracking().Where(r => r.CheckedAt >= since)
            .Select(r => new HealthResultPoint(r.TargetId, r.CheckedAt, r.Worst, r.Score))
            .ToListAsync(ct);
        return new HealthDashboardData(rows, history);
    }

    public async Task<(HealthTargetSummary? Target, IReadOnlyList<HealthResult> History)> HistoryAsync(Guid targetId, int count = 100, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.HealthTargets.AsNoTracking().Where(t => t.Id == targetId)
            .Select(t => new HealthTargetSummary(t.Id, t.Name, t.Kind, t.RequestId, t.LastCheckedAt, t.LastWorst, t.LastGrade, t.LastMode, t.CertificateExpires, t.NextCheckAt))
            .SingleOrDefaultAsync(ct);
        var history = await db.HealthResults.AsNoTracking().Where(r => r.TargetId == targetId)
            .OrderByDescending(r => r.CheckedAt).Take(Math.Clamp(count, 1, 1000)).ToListAsync(ct);
        return (target, history);
    }

    private async Task<(HealthReport Report, IReadOnlyList<HealthAlert> Alerts)> RunAndRecordAsync(PortalDbContext db, HealthTarget target, CancellationToken ct)
    {
        var report = target.Kind == HealthCheckKind.Mail
            ? await checker.CheckMailAsync(target.Name, target.Previous, ct)
            : await checker.CheckSiteAsync(target.Name, target.Previous, await MissingPathExpectationAsync(db, target, ct), ct);
        return (report, await RecordAsync(db, target, report, ct));
    }

    /// <summary>
    /// For a portal site: how a missing path should be answered in the environment the target is (testing: the current
    /// revision and the newest content; production: the live revision and the content approved for it).
    /// </summary>
    private static async Task<MissingPathExpectation?> MissingPathExpectationAsync(PortalDbContext db, HealthTarget target, CancellationToken ct)
    {
        if (target.RequestId is not { } id)
        {
            return null;
        }

        var request = await db.Requests.AsNoTracking().Include(r => r.Revisions).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (request is null || request.Kind != RequestKind.Site)
        {
            return null;
        }

        var testing = target.Name == ServedNames.Testing(request.PrimaryName);
        var number = testing ? request.CurrentRevisionNumber : request.LiveRevisionNumber ?? request.CurrentRevisionNumber;
        if (request.Revisions.FirstOrDefault(r => r.Number == number)?.Spec is not SiteSpec site)
        {
            return null;
        }

        var versions = db.ContentVersions.AsNoTracking().Where(v => v.RequestId == id);
        var content = testing
            ? await versions.OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct)
            : request.ApprovedContentVersionId is { } approved ? await versions.FirstOrDefaultAsync(v => v.Id == approved, ct) : null;
        return MissingPathCheck.For(site, content?.Files);
    }

    private async Task<IReadOnlyList<HealthAlert>> RecordAsync(PortalDbContext db, HealthTarget target, HealthReport report, CancellationToken ct)
    {
        metrics?.HealthCheck(target.Kind.ToString().ToLowerInvariant(), report.Worst.ToString().ToLowerInvariant(), report.Duration);
        var raised = target.Record(report, NextCheckTime());
        db.HealthResults.Add(HealthResult.From(target.Id, report));
        await db.SaveChangesAsync(ct);
        feed?.Publish(new HealthChange(target.Id, target.Name, target.Kind, report.CheckedAt));
        return raised.Select(condition => new HealthAlert(target.Name, target.Kind, condition, Describe(condition, report), report.CheckedAt,
            [.. report.Findings.Where(f => f.Severity >= FindingSeverity.Warning)])).ToList();
    }

    /// <summary>The interval with up to 10% jitter, so many targets added together do not stay in lockstep.</summary>
    private DateTimeOffset NextCheckTime()
    {
        var interval = options.Value.Interval;
        var jitter = interval.TotalSeconds * 0.1 * Random.Shared.NextDouble();
        return clock.GetUtcNow() + interval + TimeSpan.FromSeconds(jitter);
    }

    private async Task SendAsync(IReadOnlyList<HealthAlert> alerts, CancellationToken ct)
    {
        foreach (var alert in alerts)
        {
            foreach (var sink in sinks)
            {
                await sink.SendAsync(alert, ct);
            }
        }
    }

    private static string Describe(string condition, HealthReport report) => condition switch
    {
        "mta-sts-broken" => $"MTA-STS for {report.Name} is broken: senders see no valid policy.",
        "site-broken" => $"The site {report.Name} fails its checks.",
        "certificate" => $"The certificate of {report.Name} is invalid or expires soon ({report.CertificateExpires:yyyy-MM-dd}).",
        _ when condition.StartsWith("grade-dropped", StringComparison.Ordinal) => $"The security header grade of {report.Name} dropped to {report.Grade}.",
        _ => $"{report.Name}: {condition}",
    };
}
