using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Health;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Deployments;

/// <summary>The records an MTA-STS request with DNS outside Route53 needs, and one record's check against DNS.</summary>
public sealed record ExternalRecordsView(ExternalDnsPlan Plan, DeploymentEnvironment Environment);

/// <summary>
/// Reads what the request's MTA-STS stack reported (its stored events and outputs) to list the records to publish by hand,
/// and asks the portal's resolvers (<c>Dns:Servers</c>) whether each is visible yet. The decisions are
/// <see cref="ExternalDnsRecords"/>'s; this class only fetches.
/// </summary>
public sealed class ExternalDnsService(IDbContextFactory<PortalDbContext> dbFactory, DnsQueries dns)
{
    /// <summary>The plan for a request's current revision, or null for a site or a domain whose records the stack writes in Route53.</summary>
    public async Task<ExternalRecordsView?> PlanAsync(PortalRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.CurrentRevision.Spec is not MtaStsSpec spec || spec.DnsInRoute53)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stack = await db.Stacks.AsNoTracking().Where(s => s.RequestId == request.Id && s.Kind == StackKind.MtaSts && !s.Deleted).FirstOrDefaultAsync(ct);

        // A stack is tracked once its first deployment has finished; while a deployment runs (a new stack waiting for
        // its certificate, or an update), the run's operation holds the status CloudFormation last reported.
        var running = await db.StackOperations.AsNoTracking()
            .Where(o => o.Kind == StackKind.MtaSts && o.Action == RunAction.Deploy && db.DeploymentRuns.Any(r => r.Id == o.RunId && r.RequestId == request.Id && r.Status == RunStatus.Running))
            .Where(o => o.Step != StackStep.Succeeded && o.Step != StackStep.NoChanges && o.Step != StackStep.Failed)
            .FirstOrDefaultAsync(ct);
        if (running is { StackStatus: not null })
        {
            stack = stack is null
                ? new TrackedStack { StackName = running.StackName, Region = running.Region, Kind = StackKind.MtaSts, RequestId = request.Id, Status = running.StackStatus }
                : CopyWithStatus(stack, running.StackStatus);
        }

        var events = stack is null
            ? []
            : await db.StackEvents.AsNoTracking().Where(e => e.Region == stack.Region && e.StackName == stack.StackName && e.ResourceType == "AWS::CertificateManager::Certificate").ToListAsync(ct);
        var previous = request.LiveRevisionNumber is { } live && live != request.CurrentRevisionNumber
            ? request.Revisions.Single(r => r.Number == live).Spec as MtaStsSpec
            : null;
        var environment = EnvironmentServed(request.State);
        return new ExternalRecordsView(ExternalDnsRecords.Plan(spec, environment, stack, events, previous), environment);
    }

    /// <summary>Asks DNS for one record's name and type and compares the answer.</summary>
    public async Task<RecordCheck> CheckAsync(ExternalRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Value is null)
        {
            return ExternalDnsRecords.Check(record, DnsObservation.Nothing);
        }

        var answer = record.Type == "CNAME" ? await dns.CnameAsync(record.Name, ct) : await dns.TxtAsync(record.Name, ct);
        var observed = answer.Outcome switch
        {
            DnsOutcome.Found => new DnsObservation(true, answer.Records),
            DnsOutcome.Failed => DnsObservation.Failed(answer.Problem ?? $"DNS gave no answer for {record.Type} {record.Name}."),
            _ => DnsObservation.Nothing,
        };
        return ExternalDnsRecords.Check(record, observed);
    }

    private static TrackedStack CopyWithStatus(TrackedStack stack, string status) => new()
    {
        StackName = stack.StackName, Region = stack.Region, Kind = stack.Kind, RequestId = stack.RequestId, Status = status, OutputsJson = stack.OutputsJson,
    };

    /// <summary>Testing serves its policy until a promotion; from then on the stack serves production's.</summary>
    private static DeploymentEnvironment EnvironmentServed(RequestState state) => state is RequestState.Draft or RequestState.Submitted or RequestState.TestingDeploying
        or RequestState.TestingReady or RequestState.TestingFailed or RequestState.AwaitingApproval or RequestState.Rejected or RequestState.Withdrawn
        ? DeploymentEnvironment.Testing
        : DeploymentEnvironment.Production;
}
