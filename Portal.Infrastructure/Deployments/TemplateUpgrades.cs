using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;

namespace Portal.Infrastructure.Deployments;

/// <summary>A request whose deployed stacks differ from what the current templates render, and how.</summary>
public sealed record TemplateUpgradeCandidate(Guid RequestId, int Version, IReadOnlyList<string> Differences)
{
    public string Reason => "The portal's templates changed since these stacks were deployed: " + string.Join("; ", Differences) + ".";
}

/// <summary>
/// Moves stacks deployed from earlier templates to the current ones without anybody editing requests: a resting request
/// (live, or ready in testing) whose stacks differ from a fresh render gets a new revision with the same spec, taken by
/// the portal. Testing redeploys at once; production changes only after the usual approval.
/// </summary>
public sealed partial class TemplateUpgrades(
    IDbContextFactory<PortalDbContext> dbFactory,
    RequestService requests,
    IDeploymentStackSource stacks,
    ILogger logger)
{
    private static readonly RequestState[] RestingStates = [RequestState.Live, RequestState.TestingReady];

    /// <summary>Every resting request whose stacks are behind the current templates.</summary>
    public async Task<IReadOnlyList<TemplateUpgradeCandidate>> FindAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Requests.AsNoTracking().Where(r => RestingStates.Contains(r.State)).Select(r => r.Id).ToListAsync(ct);
        var candidates = new List<TemplateUpgradeCandidate>();
        foreach (var id in ids)
        {
            var request = await requests.GetAsync(id, ct);
            if (request is null || !RestingStates.Contains(request.State))
            {
                continue;
            }

            var differences = await DifferencesAsync(db, request, ct);
            if (differences.Count > 0)
            {
                candidates.Add(new(request.Id, request.Version, differences));
            }
        }

        return candidates;
    }

    /// <summary>Starts an upgrade revision for every request that is behind; returns how many were started.</summary>
    public async Task<int> StartAsync(CancellationToken ct = default)
    {
        var started = 0;
        foreach (var candidate in await FindAsync(ct))
        {
            // The version the differences were computed on: a request changed meanwhile is left for the next check.
            var result = await requests.UpgradeTemplatesAsync(candidate.RequestId, candidate.Reason, candidate.Version, ct: ct);
            if (result.Succeeded)
            {
                started++;
                LogUpgradeStarted(logger, candidate.RequestId, candidate.Reason);
            }
        }

        return started;
    }

    private async Task<IReadOnlyList<string>> DifferencesAsync(PortalDbContext db, PortalRequest request, CancellationToken ct)
    {
        var tracked = await db.Stacks.AsNoTracking().Where(s => s.RequestId == request.Id && !s.Deleted).ToListAsync(ct);
        var differences = new List<string>();
        foreach (var environment in tracked.Select(s => s.Environment).OfType<DeploymentEnvironment>().Distinct().Order())
        {
            // Ready in testing, production still holds the live revision: its promotion renders the current templates anyway.
            if (request.State == RequestState.TestingReady && environment == DeploymentEnvironment.Production)
            {
                continue;
            }

            var revisionNumber = environment == DeploymentEnvironment.Production ? request.LiveRevisionNumber ?? request.CurrentRevisionNumber : request.CurrentRevisionNumber;
            var revision = request.Revisions.Single(r => r.Number == revisionNumber);
            var rendered = stacks.Render(request, revision, environment);
            if (!rendered.IsSuccess)
            {
                // An upgrade would fail to render as well; the request page shows the problem on its next deployment.
                LogCannotRender(logger, request.Id, string.Join("; ", rendered.Errors.Select(e => e.Message)));
                continue;
            }

            var owned = rendered.Stacks.Where(s => s.Kind is not Core.Templates.StackKind.Shared).ToList();
            foreach (var stack in owned)
            {
                var last = await db.StackOperations.AsNoTracking()
                    .Where(o => o.StackName == stack.StackName && o.Region == stack.Region && o.Action == RunAction.Deploy)
                    .Where(o => o.Step == StackStep.Succeeded || o.Step == StackStep.NoChanges)
                    .OrderByDescending(o => o.UpdatedAt)
                    .Select(o => new { o.TemplateBody, o.ParametersJson })
                    .FirstOrDefaultAsync(ct);
                if (last is null)
                {
                    differences.Add($"{stack.StackName} is new");
                }
                else if (last.TemplateBody != stack.TemplateBody)
                {
                    differences.Add($"{stack.StackName} has a new template");
                }
                else if (!SameParameters(last.ParametersJson, stack))
                {
                    differences.Add($"{stack.StackName} has new parameters");
                }
            }

            foreach (var gone in tracked.Where(s => s.Environment == environment && owned.All(o => o.StackName != s.StackName)))
            {
                differences.Add($"{gone.StackName} is no longer rendered");
            }
        }

        return differences;
    }

    private static bool SameParameters(string deployedJson, Core.Templates.RenderedStack stack)
    {
        var deployed = JsonSerializer.Deserialize<List<Aws.CloudFormation.Parameter>>(deployedJson) ?? [];
        return deployed.Select(p => (p.ParameterKey, p.ParameterValue)).Order().SequenceEqual(stack.Parameters.Select(p => (p.ParameterKey, p.ParameterValue)).Order());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} redeploys with the current templates: {Reason}")]
    private static partial void LogUpgradeStarted(ILogger logger, Guid requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} cannot be rendered with the current templates: {Problem}")]
    private static partial void LogCannotRender(ILogger logger, Guid requestId, string problem);
}
