using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;

namespace Portal.Infrastructure.Deployments;

/// <summary>
/// Plans production for every request waiting for approval: creates each production stack's change set (not executed),
/// describes it, and keeps the plan current. When anything the plan was made from changes (the revision, testing's
/// content version, the rendered templates, the production stacks' state or drift), the plan is marked stale, its
/// change sets deleted, and a new plan made; the approval waits until the new one is ready.
/// </summary>
public sealed partial class ProductionPlanner(
    IDbContextFactory<PortalDbContext> dbFactory, RequestService requests, IDeploymentStackSource stacks, StackDeployer deployer,
    DeploymentStatusFeed feed, TimeProvider clock, ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        List<Guid> waiting;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            waiting = await db.Requests.AsNoTracking().Where(r => r.State == RequestState.AwaitingApproval).Select(r => r.Id).ToListAsync(ct);
        }

        foreach (var id in waiting)
        {
            try
            {
                await PlanAsync(id, ct);
            }
            catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException)
            {
                // AWS busy or unreachable: the plan stays as saved and the next pass carries on.
                LogPlanDeferred(logger, id, ex.Message);
            }
        }
    }

    private async Task PlanAsync(Guid requestId, CancellationToken ct)
    {
        var request = await requests.GetAsync(requestId, ct);
        if (request is null || request.State != RequestState.AwaitingApproval)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await db.ProductionPlans.Where(p => p.RequestId == requestId)
            .Where(p => p.Status == PlanStatus.Creating || p.Status == PlanStatus.Ready || p.Status == PlanStatus.Failed)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
        var rendered = stacks.Render(request, request.CurrentRevision, DeploymentEnvironment.Production);
        var basis = await BasisAsync(db, request, rendered, ct);
        if (plan is not null && plan.Basis.StaleReason(basis) is { } reason)
        {
            plan.Status = PlanStatus.Stale;
            plan.StaleReason = reason;
            plan.Version++;
            if (!await TrySaveAsync(db, ct))
            {
                return;
            }

            foreach (var stale in plan.Stacks)
            {
                await deployer.DiscardPlanAsync(stale, ct);
            }

            LogPlanStale(logger, requestId, reason);
            Publish(requestId, "plan stale: " + reason);
            plan = null;
        }

        if (plan is null)
        {
            plan = NewPlan(request, basis, rendered);
            db.ProductionPlans.Add(plan);
            await db.SaveChangesAsync(ct);
            Publish(requestId, "planning");
        }

        if (plan.Status != PlanStatus.Creating)
        {
            return;
        }

        var planned = plan.Stacks.ToList();
        for (var i = 0; i < planned.Count; i++)
        {
            var stack = planned[i];
            if (stack.Status != PlannedStackStatus.Creating)
            {
                continue;
            }

            if (stack.ChangeSetId is null)
            {
                var source = rendered.Stacks.Single(s => s.StackName == stack.StackName && s.Region == stack.Region);
                planned[i] = await deployer.StartPlanAsync(stack, source.TemplateBody, DeploymentEngine.ParametersJson(source), DeploymentEngine.TagsJson(source),
                    string.Create(CultureInfo.InvariantCulture, $"portal-plan-{plan.Id:N}-{i}"), ct);
            }
            else
            {
                planned[i] = await deployer.DescribePlanAsync(stack, ct);
            }
        }

        plan.Stacks = planned;
        if (planned.Any(s => s.Status == PlannedStackStatus.Failed))
        {
            plan.Status = PlanStatus.Failed;
            plan.FailureMessage = StackEventStore.Cut(string.Join("; ", planned.Where(s => s.Status == PlannedStackStatus.Failed).Select(s => $"{s.StackName}: {s.StatusReason}")), 4000);
        }
        else if (planned.All(s => s.Status != PlannedStackStatus.Creating))
        {
            plan.Status = PlanStatus.Ready;
            plan.ReadyAt = clock.GetUtcNow();
        }

        plan.Version++;
        if (await TrySaveAsync(db, ct) && plan.Status != PlanStatus.Creating)
        {
            Publish(requestId, plan.Status == PlanStatus.Ready ? "plan ready" : "plan failed");
        }
    }

    private ProductionPlan NewPlan(PortalRequest request, PlanBasis basis, RenderResult rendered)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var plan = new ProductionPlan
        {
            Id = id,
            RequestId = request.Id,
            Revision = basis.Revision,
            ContentVersionId = basis.ContentVersionId,
            ContentVersionNumber = basis.ContentVersionNumber,
            TemplateFingerprint = basis.TemplateFingerprint,
            StacksFingerprint = basis.StacksFingerprint,
            Status = rendered.IsSuccess ? PlanStatus.Creating : PlanStatus.Failed,
            FailureMessage = rendered.IsSuccess ? null
                : StackEventStore.Cut("The production stacks could not be rendered: " + string.Join("; ", rendered.Errors.Select(e => $"{e.Field}: {e.Message}")), 4000),
            CreatedAt = now,
        };

        // Names are unique per plan, so a stale plan's change sets never mix with the new one's.
        plan.Stacks = rendered.IsSuccess
            ? [.. rendered.Stacks.Select((s, i) => new PlannedStack(s.StackName, s.Region, s.Kind,
                string.Create(CultureInfo.InvariantCulture, $"portal-plan-{id.ToString("N")[..12]}-{i}"), "", PlannedStackStatus.Creating))]
            : [];
        return plan;
    }

    /// <summary>What a plan made now would be made from.</summary>
    private static async Task<PlanBasis> BasisAsync(PortalDbContext db, PortalRequest request, RenderResult rendered, CancellationToken ct)
    {
        var content = await db.ContentVersions.AsNoTracking().Where(v => v.RequestId == request.Id)
            .OrderByDescending(v => v.Number).Select(v => new { v.Id, v.Number }).FirstOrDefaultAsync(ct);
        var templates = new StringBuilder();
        foreach (var stack in rendered.Stacks)
        {
            templates.Append(stack.StackName).Append('\n').Append(stack.Region).Append('\n').Append(stack.TemplateBody).Append('\n')
                .Append(DeploymentEngine.ParametersJson(stack)).Append('\n').Append(DeploymentEngine.TagsJson(stack)).Append('\n');
        }

        if (!rendered.IsSuccess)
        {
            templates.Append(string.Join("\n", rendered.Errors.Select(e => e.Field + e.Message)));
        }

        // Only drift that was found counts: a first check that finds the stack in sync changes nothing the plan showed.
        var production = await db.Stacks.AsNoTracking()
            .Where(s => s.RequestId == request.Id && s.Environment == DeploymentEnvironment.Production && !s.Deleted)
            .Select(s => new { s.StackName, s.Status, s.LastUpdatedTime, s.DriftStatus, s.DriftedResourcesJson }).ToListAsync(ct);
        var live = new StringBuilder();
        foreach (var s in production.OrderBy(s => s.StackName, StringComparer.Ordinal))
        {
            live.Append(CultureInfo.InvariantCulture, $"{s.StackName}|{s.Status}|{s.LastUpdatedTime?.ToUnixTimeMilliseconds()}|{(s.DriftStatus == "DRIFTED" ? s.DriftedResourcesJson : "")}\n");
        }

        return new PlanBasis(request.CurrentRevisionNumber, content?.Id, content?.Number,
            DeploymentEngine.Sha256(templates.ToString()), DeploymentEngine.Sha256(live.ToString()));
    }

    private static async Task<bool> TrySaveAsync(PortalDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Approved (or replaced) meanwhile: the approval stands, the next pass sees the new state.
            return false;
        }
    }

    private void Publish(Guid requestId, string what) => feed.Publish(new DeploymentChange(requestId, null, what));

    [LoggerMessage(Level = LogLevel.Information, Message = "Production plan of request {RequestId} is stale: {Reason}; planning again")]
    private static partial void LogPlanStale(ILogger logger, Guid requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Production plan of request {RequestId} waits for AWS: {Problem}")]
    private static partial void LogPlanDeferred(ILogger logger, Guid requestId, string problem);
}
