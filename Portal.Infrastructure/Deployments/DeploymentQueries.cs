using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;
using Portal.Core.Deployments;

namespace Portal.Infrastructure.Deployments;

/// <summary>A run with its stacks, for a request's page.</summary>
public sealed record RunView(DeploymentRun Run, IReadOnlyList<StackOperation> Stacks);

/// <summary>What the pages show about deployments: a request's runs and stacks, a stack's events, every tracked stack.</summary>
public sealed class DeploymentQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<RunView>> RunsAsync(Guid requestId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.DeploymentRuns.AsNoTracking().Include(r => r.Stacks).Where(r => r.RequestId == requestId).ToListAsync(ct);
        return runs.OrderByDescending(r => r.CreatedAt).Select(r => new RunView(r, r.Stacks.OrderBy(s => s.Sequence).ToList())).ToList();
    }

    public async Task<IReadOnlyList<TrackedStack>> StacksAsync(Guid? requestId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Stacks.AsNoTracking().Where(s => !s.Deleted);
        if (requestId is not null)
        {
            query = query.Where(s => s.RequestId == requestId);
        }

        return (await query.ToListAsync(ct)).OrderBy(s => s.StackName, StringComparer.Ordinal).ToList();
    }

    /// <summary>A stack's stored events, newest first.</summary>
    public async Task<IReadOnlyList<StoredStackEvent>> EventsAsync(string region, string stackName, int take = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = await db.StackEvents.AsNoTracking().Where(e => e.Region == region && e.StackName == stackName).ToListAsync(ct);
        return events.OrderByDescending(e => e.Timestamp).Take(take).ToList();
    }

    /// <summary>The template and parameters a stack last deployed successfully, or null when it was never deployed.</summary>
    public async Task<(string Template, string Parameters)?> LiveTemplateAsync(string region, string stackName, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deployed = await db.StackOperations.AsNoTracking()
            .Where(s => s.Region == region && s.StackName == stackName && s.Action == RunAction.Deploy
                && (s.Step == StackStep.Succeeded || s.Step == StackStep.NoChanges))
            .Select(s => new { s.TemplateBody, s.ParametersJson, s.UpdatedAt })
            .ToListAsync(ct);
        var latest = deployed.OrderByDescending(s => s.UpdatedAt).FirstOrDefault();
        return latest is null ? null : (latest.TemplateBody, latest.ParametersJson);
    }
}
