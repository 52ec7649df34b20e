using System.Text.Json;
using Portal.Core.Deployments;
using Portal.Core.Templates;
using Portal.Infrastructure.Deployments;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;

namespace Portal.Api;

/// <summary>A request as the API shows it: where it stands, what was asked for, its history and its deployments.</summary>
public sealed record ApiRequest(
    Guid Id,
    RequestKind Kind,
    string Name,
    RequestState State,
    int Version,
    string OwnerId,
    string OwnerName,
    int CurrentRevision,
    int? LiveRevision,
    string? FailureMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonElement Spec,
    IReadOnlyList<string> AvailableActions,
    IReadOnlyList<ApiRevision> Revisions,
    IReadOnlyList<ApiAuditEvent> Events,
    IReadOnlyList<ApiRun> Runs,
    ApiPlan? Plan = null,
    ApiRequestDrift? Drift = null)
{
    /// <summary>The team the request belongs to (its members may edit, upload content and withdraw); null: the owner's alone.</summary>
    public string? Team { get; init; }

    public static ApiRequest From(
        PortalRequest request, IReadOnlyList<ActionOption> actions, IReadOnlyList<RunView> runs, ProductionPlan? plan = null, Portal.Infrastructure.Deployments.RequestDrift? drift = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(
            request.Id, request.Kind, request.PrimaryName, request.State, request.Version, request.OwnerId, request.OwnerName,
            request.CurrentRevisionNumber, request.LiveRevisionNumber, request.FailureMessage, request.CreatedAt, request.UpdatedAt,
            SpecOf(request.CurrentRevision),
            [.. actions.Where(a => a.Enabled).Select(a => ApiActions.Slug(a.Action)).OfType<string>()],
            [.. request.Revisions.OrderBy(r => r.Number).Select(r => new ApiRevision(r.Number, r.CreatedById, r.CreatedByName, r.CreatedAt, r.LastEditorId, r.LastEditedAt, SpecOf(r)))],
            [.. request.AuditEvents.OrderBy(e => e.Sequence).Select(e => new ApiAuditEvent(e.Sequence, e.At, e.ActorId, e.ActorName, e.Action, e.RevisionNumber, e.FromState, e.ToState, e.Reason))],
            [.. runs.Select(ApiRun.From)],
            plan is null ? null : ApiPlan.From(plan, null),
            drift is null ? null : ApiRequestDrift.From(drift))
        {
            Team = request.TeamId,
        };
    }

    private static JsonElement SpecOf(RequestRevision revision)
    {
        using var document = JsonDocument.Parse(revision.SpecJson);
        return document.RootElement.Clone();
    }
}

public sealed record ApiRevision(int Number, string CreatedById, string CreatedByName, DateTimeOffset CreatedAt, string LastEditorId, DateTimeOffset LastEditedAt, JsonElement Spec);

public sealed record ApiAuditEvent(int Sequence, DateTimeOffset At, string ActorId, string ActorName, string Action, int Revision, RequestState? FromState, RequestState ToState, string? Reason);

public sealed record ApiRun(
    Guid Id, int Revision, DeploymentEnvironment? Environment, RunAction Action, RunStatus Status, string? FailureMessage,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, IReadOnlyList<ApiStackOperation> Stacks)
{
    public static ApiRun From(RunView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var r = view.Run;
        return new(r.Id, r.Revision, r.Environment, r.Action, r.Status, r.FailureMessage, r.CreatedAt, r.FinishedAt,
            [.. view.Stacks.Select(s => new ApiStackOperation(s.StackName, s.Region, s.Kind, s.Step, s.StackStatus, s.ChangeCount, s.FailureMessage, s.StartedAt, s.FinishedAt))]);
    }
}

public sealed record ApiStackOperation(
    string StackName, string Region, StackKind Kind, StackStep Step, string? StackStatus, int? ChangeCount, string? FailureMessage, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

public sealed record ApiRequestPage(IReadOnlyList<RequestSummary> Items, int TotalCount, int Page, int PageSize);

/// <summary>The optional body of an action: why (reject needs a reason) and which version the caller looked at.</summary>
public sealed record ApiActionBody(string? Reason, int? ExpectedVersion, Guid? PlanId = null);

/// <summary>
/// The production plan: per stack, the change set created for approval (not executed) and each resource's action,
/// replacement, scope and the properties causing it. <c>replacedBecause</c> says why the previous plan was replaced.
/// </summary>
public sealed record ApiPlan(
    Guid Id, PlanStatus Status, int Revision, int? ContentVersion, DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt, DateTimeOffset? ApprovedAt, string? ApprovedBy,
    string? FailureMessage, string? ReplacedBecause, IReadOnlyList<PlannedStack> Stacks)
{
    public static ApiPlan From(ProductionPlan plan, ProductionPlan? replaced)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(plan.Id, plan.Status, plan.Revision, plan.ContentVersionNumber, plan.CreatedAt, plan.ReadyAt, plan.ApprovedAt, plan.ApprovedBy,
            plan.FailureMessage, replaced?.StaleReason, plan.Stacks);
    }
}

/// <summary>The health of a name: the latest stored check, or the one just run.</summary>
public sealed record ApiHealth(
    string Name, HealthCheckKind Kind, bool Watched, DateTimeOffset? CheckedAt, FindingSeverity? Worst, string? Grade, int? Score, string? Mode,
    DateTimeOffset? CertificateExpires, IReadOnlyList<Finding> Findings)
{
    /// <summary>For a mail domain: the transport check of each MX host (STARTTLS, TLS version, certificate, policy match).</summary>
    public IReadOnlyList<MxTransportResult> MxHosts { get; init; } = [];
}

/// <summary>What promoting a request's current revision would change in production; <c>problem</c> when it cannot be rendered.</summary>
public sealed record ApiPromotionPreview(Guid RequestId, int Revision, IReadOnlyList<ApiStackPreview> Stacks, string? Problem, IReadOnlyList<ApiSharedStackUpdate>? AlsoDeployed = null)
{
    public static ApiPromotionPreview From(PortalRequest request, PromotionPreviewResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        return new(request.Id, request.CurrentRevisionNumber, [.. result.Stacks.Select(ApiStackPreview.From)], result.Problem,
            [.. (result.SharedUpdates ?? []).Select(u => new ApiSharedStackUpdate(u.StackName, u.Region, u.Kind.ToString().ToLowerInvariant(), u.Reason))]);
    }
}

/// <summary>A stack other requests share (<c>shared</c> or <c>headers</c>) that promotion deploys first, outside the plan, and why.</summary>
public sealed record ApiSharedStackUpdate(string StackName, string Region, string Kind, string Reason);

/// <summary>One production stack: its resource changes and the template diff (lines starting '+', '-' or ' ').</summary>
public sealed record ApiStackPreview(
    string StackName, string Region, bool ParametersChanged, IReadOnlyList<Portal.Core.Approvals.ResourceChange> Resources, IReadOnlyList<string> Diff)
{
    public static ApiStackPreview From(PromotionStackChange preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        return new(preview.Stack.StackName, preview.Stack.Region, preview.Changes.ParametersChanged, preview.Changes.Resources,
            [.. preview.Changes.Lines.Select(line => line.Op + line.Text)]);
    }
}

/// <summary>The preflight of a request for one environment: each check with its verdict (ok, warning, failure) and what to do.</summary>
public sealed record ApiPreflight(Guid RequestId, string Environment, DateTimeOffset CheckedAt, string Verdict, IReadOnlyList<ApiPreflightFinding> Findings)
{
    public static ApiPreflight From(Portal.Core.Deployments.PreflightReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.RequestId, report.Environment.ToString().ToLowerInvariant(), report.CheckedAt,
            Portal.Core.Deployments.PreflightRules.Worst(report.Findings).ToString().ToLowerInvariant(),
            [.. report.Findings.Select(f => new ApiPreflightFinding(f.Id, f.Severity.ToString().ToLowerInvariant(), f.Message))]);
    }
}

public sealed record ApiPreflightFinding(string Id, string Severity, string Message);

/// <summary>
/// A request's stacks and their drift: per stack its state (<c>in-sync</c>, <c>drifted</c>, <c>not-checked</c>,
/// <c>checking</c>, <c>unknown</c>), when it was last checked, and each drifted resource's differing properties.
/// </summary>
public sealed record ApiDrift(Guid RequestId, int Drifted, IReadOnlyList<ApiStackDrift> Stacks)
{
    public static ApiDrift From(Portal.Infrastructure.Deployments.RequestDrift drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        return new(drift.RequestId, drift.Stacks.Count(s => s.State == Portal.Core.Deployments.DriftState.Drifted), [.. drift.Stacks.Select(ApiStackDrift.From)]);
    }
}

/// <summary>
/// The request's drift at a glance, in the request itself: each stack's state and how many resources drifted; the
/// differing properties are at <c>details</c> (GET .../drift).
/// </summary>
public sealed record ApiRequestDrift(int Drifted, string Details, IReadOnlyList<ApiStackDriftSummary> Stacks)
{
    public static ApiRequestDrift From(Portal.Infrastructure.Deployments.RequestDrift drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        return new(drift.Stacks.Count(s => s.State == Portal.Core.Deployments.DriftState.Drifted), $"/api/v1/requests/{drift.RequestId}/drift",
            [.. drift.Stacks.Select(ApiStackDrift.From).Select(s => new ApiStackDriftSummary(s.StackName, s.Kind, s.Environment, s.State, s.LastCheckedAt, s.Resources.Count))]);
    }
}

/// <summary>One stack's drift state (<c>in-sync</c>, <c>drifted</c>, <c>not-checked</c>, <c>checking</c>, <c>unknown</c>) and its number of drifted resources.</summary>
public sealed record ApiStackDriftSummary(string StackName, string Kind, string? Environment, string State, DateTimeOffset? LastCheckedAt, int DriftedResources);

public sealed record ApiStackDrift(
    string StackName, string Kind, string? Environment, string State, string Summary, DateTimeOffset? LastCheckedAt, IReadOnlyList<ApiDriftedResource> Resources)
{
    public static ApiStackDrift From(Portal.Core.Deployments.StackDriftView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new(view.StackName, Portal.Core.Templates.TemplateLibrary.FileName(view.Kind).Replace(".yaml", "", StringComparison.Ordinal),
            view.Environment?.ToString().ToLowerInvariant(), Slug(view.State),
            Portal.Core.Deployments.StackDrift.Describe(view.State, view.CheckedAt), view.CheckedAt,
            [.. view.Resources.Select(r => new ApiDriftedResource(r.LogicalId, r.ResourceType, r.PhysicalId, r.Status,
                [.. r.Differences.Select(d => new ApiPropertyDifference(d.Path, d.Expected, d.Actual, d.Difference))]))]);
    }

    private static string Slug(Portal.Core.Deployments.DriftState state) => state switch
    {
        Portal.Core.Deployments.DriftState.InSync => "in-sync",
        Portal.Core.Deployments.DriftState.Drifted => "drifted",
        Portal.Core.Deployments.DriftState.Checking => "checking",
        Portal.Core.Deployments.DriftState.Unknown => "unknown",
        _ => "not-checked",
    };
}

/// <summary>A drifted resource (<c>MODIFIED</c> or <c>DELETED</c>) and each property's expected (template) and actual value, as JSON text.</summary>
public sealed record ApiDriftedResource(string LogicalId, string? ResourceType, string? PhysicalId, string Status, IReadOnlyList<ApiPropertyDifference> Differences);

public sealed record ApiPropertyDifference(string Path, string? ExpectedValue, string? ActualValue, string DifferenceType);
