using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Deployments;

/// <summary>A request's stacks and their drift, or nothing when there is no such request.</summary>
public sealed record RequestDrift(Guid RequestId, string OwnerId, IReadOnlyList<StackDriftView> Stacks);

/// <summary>The outcome of "check drift now": the stacks now being checked, or a refusal with a code and a sentence.</summary>
public sealed record DriftCheckResult(RequestDrift? Drift, RefusalCode? Code, string? Problem)
{
    public bool Succeeded => Code is null;
}

/// <summary>A drifted stack on the dashboard: which request, which environment.</summary>
public sealed record DriftedStackRow(Guid RequestId, string RequestName, DeploymentEnvironment? Environment, string StackName, DateTimeOffset? CheckedAt);

/// <summary>
/// "Check drift now": who may ask is <see cref="StackDrift"/>'s rule; this class asks <see cref="StackTracker"/> to
/// detect at once and tells open pages, which then show the stacks checking.
/// </summary>
public sealed class DriftService(DriftQueries queries, StackTracker tracker, DeploymentStatusFeed feed)
{
    public Task<RequestDrift?> ForRequestAsync(Guid requestId, CancellationToken ct = default) => queries.ForRequestAsync(requestId, ct);

    /// <summary>Schedules a detection of every stack of the request for the tracker's next pass; the page shows "checking" at once.</summary>
    public async Task<DriftCheckResult> CheckNowAsync(Guid requestId, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var drift = await ForRequestAsync(requestId, ct);
        if (drift is null)
        {
            return new DriftCheckResult(null, RefusalCode.NotFound, $"There is no request {requestId}.");
        }

        if (StackDrift.CheckNowRefusal(drift.OwnerId, actor) is { } refusal)
        {
            return new DriftCheckResult(null, RefusalCode.RoleRequired, refusal);
        }

        if (drift.Stacks.Count == 0)
        {
            return new DriftCheckResult(null, RefusalCode.NotAllowedInState, "This request has no deployed stacks to check yet.");
        }

        foreach (var stack in drift.Stacks.Where(s => s.State != DriftState.Checking))
        {
            await tracker.RequestDriftCheckAsync(stack.TrackedStackId, ct);
        }

        feed.Publish(new DeploymentChange(requestId, null, "drift check requested"));
        return new DriftCheckResult(await ForRequestAsync(requestId, ct), null, null);
    }
}

/// <summary>Drift as pages, the dashboard and the API read it, from the tracked stacks; the rules are <see cref="StackDrift"/>'s.</summary>
public sealed class DriftQueries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<RequestDrift?> ForRequestAsync(Guid requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var owner = await db.Requests.AsNoTracking().Where(r => r.Id == requestId).Select(r => r.OwnerId).SingleOrDefaultAsync(ct);
        if (owner is null)
        {
            return null;
        }

        var stacks = await db.Stacks.AsNoTracking().Where(s => s.RequestId == requestId && !s.Deleted).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return new RequestDrift(requestId, owner, [.. stacks
            .OrderBy(s => s.Environment).ThenBy(s => s.Kind).ThenBy(s => s.StackName, StringComparer.Ordinal)
            .Select(s => StackDrift.View(s, now))]);
    }

    /// <summary>Every stack whose last check found drift, with its request's name, newest check first.</summary>
    public async Task<IReadOnlyList<DriftedStackRow>> DriftedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (
                from s in db.Stacks.AsNoTracking()
                where !s.Deleted && s.DriftStatus == StackDrift.Drifted && s.RequestId != null
                join r in db.Requests.AsNoTracking() on s.RequestId equals r.Id
                select new { RequestId = r.Id, r.PrimaryName, s.Environment, s.StackName, s.DriftCheckedAt })
            .ToListAsync(ct);
        return [.. rows.Select(r => new DriftedStackRow(r.RequestId, r.PrimaryName, r.Environment, r.StackName, r.DriftCheckedAt))
            .OrderByDescending(r => r.CheckedAt).ThenBy(r => r.StackName, StringComparer.Ordinal)];
    }

    /// <summary>The dashboard's watched names whose request has a drifted stack, with the environments that drifted.</summary>
    public static IReadOnlyDictionary<Guid, string> MarkersFor(IEnumerable<(Guid TargetId, Guid? RequestId)> targets, IReadOnlyList<DriftedStackRow> drifted)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(drifted);
        var byRequest = drifted.GroupBy(d => d.RequestId).ToDictionary(
            g => g.Key,
            g => string.Join(" and ", g.Select(d => d.Environment?.ToString().ToLowerInvariant() ?? "shared").Distinct().Order(StringComparer.Ordinal)));
        return targets.Where(t => t.RequestId is { } id && byRequest.ContainsKey(id))
            .ToDictionary(t => t.TargetId, t => byRequest[t.RequestId!.Value] is var where && where.Contains(" and ", StringComparison.Ordinal)
                ? $"Drifted: {where} stacks changed outside the portal"
                : $"Drifted: {where} stack changed outside the portal");
    }
}
