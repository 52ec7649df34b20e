using Microsoft.EntityFrameworkCore;
using Portal.Core.Adoption;
using Portal.Core.Health;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Core.Zones;
using Portal.Infrastructure.Health;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Teams;

namespace Portal.Infrastructure.Adoption;

/// <summary>
/// An admin's adoption of an MTA-STS domain served outside the portal: who will own it, which team, and which hosted zone
/// (null: DNS elsewhere) the portal's stack will use once it takes over.
/// </summary>
public sealed record AdoptMtaStsCommand(string Domain, string OwnerId, string OwnerName, string? TeamId, string? HostedZoneId = null, string? HostedZoneName = null);

/// <summary>A preview or an adoption: what was found (when the domain was read), the request made, or the refusal worded for the admin.</summary>
public sealed record AdoptionResult(AdoptionPreview? Preview, Guid? RequestId, RefusalCode? Code, string? Message, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Code is null;

    public static AdoptionResult Refused(RefusalCode code, string message, AdoptionPreview? preview = null, IReadOnlyList<FieldError>? errors = null) =>
        new(preview, null, code, message, errors ?? []);
}

/// <summary>
/// Adopts existing MTA-STS domains: reads what the domain serves with the health check's own fetch and parse (the policy
/// over HTTPS, the <c>_mta-sts</c> and <c>_smtp._tls</c> records), and records it as a request in the Adopted state,
/// with its owner, team, an audit event and a health target. Nothing is deployed; the next revision is the normal workflow.
/// </summary>
public sealed class AdoptionService(IDbContextFactory<PortalDbContext> dbFactory, HealthChecker checker, TimeProvider clock)
{
    /// <summary>Reads the domain and says what would be adopted, or why it cannot be.</summary>
    public async Task<AdoptionResult> PreviewAsync(string? domain, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (RefuseActor(actor) is { } refused)
        {
            return refused;
        }

        var (name, problem) = MtaStsAdoption.Normalize(domain);
        if (problem is not null)
        {
            return AdoptionResult.Refused(RefusalCode.Invalid, problem, errors: [new FieldError("domain", problem)]);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await ManagedByAsync(db, name, ct) is { } managed)
            {
                return managed;
            }
        }

        var report = await checker.CheckMailAsync(name, null, ct);
        var preview = MtaStsAdoption.Judge(name, report);
        return preview.CanAdopt
            ? new(preview, null, null, null, [])
            : AdoptionResult.Refused(RefusalCode.ConditionNotMet, preview.Refusal!, preview);
    }

    /// <summary>
    /// Reads the domain again (what is recorded is what is served now), and records it owned by the person and team named.
    /// </summary>
    public async Task<AdoptionResult> AdoptAsync(AdoptMtaStsCommand command, Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (RefuseActor(actor) is { } refused)
        {
            return refused;
        }

        var errors = new List<FieldError>();
        var (ownerId, ownerName) = AdoptedOwner.Read(command.OwnerId, command.OwnerName, errors);

        var (domain, domainProblem) = MtaStsAdoption.Normalize(command.Domain);
        if (domainProblem is not null)
        {
            errors.Add(new("domain", domainProblem));
        }

        var team = string.IsNullOrWhiteSpace(command.TeamId) ? null : command.TeamId.Trim();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (team is not null && !await db.Teams.AnyAsync(t => t.Id == team, ct))
            {
                errors.Add(new("teamId", $"There is no team '{team}'; create it on the Teams and zones page first."));
            }

            if (domainProblem is null && errors.Count == 0)
            {
                var grants = await TeamAccess.GrantsAsync(db, ct);
                var zoneSpec = ZoneRules.ResolveZoneId(new MtaStsSpec { Domain = domain, HostedZoneId = command.HostedZoneId, HostedZoneName = command.HostedZoneName }, grants);
                errors.AddRange(SpecValidator.ValidateDraft(zoneSpec).Errors.Where(e => e.Field is "domain" or "hostedZoneId" or "hostedZoneName"));
                if (ZoneRules.Check(zoneSpec, ZoneRules.ForTeam(grants, team), enforced: grants.Count > 0) is { } zone)
                {
                    errors.Add(zone);
                }

                command = command with { HostedZoneId = ((MtaStsSpec)zoneSpec).HostedZoneId, HostedZoneName = ((MtaStsSpec)zoneSpec).HostedZoneName };
            }
        }

        if (errors.Count > 0)
        {
            return AdoptionResult.Refused(RefusalCode.Invalid, errors[0].Message, errors: errors);
        }

        var read = await PreviewAsync(domain, actor, ct);
        if (!read.Succeeded)
        {
            return read;
        }

        var found = read.Preview!.Found!;
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var request = PortalRequest.Adopt(id, MtaStsAdoption.Spec(found, command.HostedZoneId, command.HostedZoneName), ownerId, ownerName, team, actor, MtaStsAdoption.Summary(found), now);
        await using var save = await dbFactory.CreateDbContextAsync(ct);
        if (await ManagedByAsync(save, domain, ct) is { } managedNow)
        {
            return managedNow;
        }

        save.Requests.Add(request);
        if (!await save.HealthTargets.AnyAsync(t => t.Name == domain && t.Kind == HealthCheckKind.Mail, ct))
        {
            save.HealthTargets.Add(HealthTarget.Create(domain, HealthCheckKind.Mail, id, actor.Id, now));
        }

        save.AdminAuditEvents.Add(new AdminAuditRecord
        {
            Id = Guid.CreateVersion7(now), At = now, ActorId = actor.Id, ActorName = actor.DisplayName, Action = "AdoptMtaSts", Subject = $"mail domain {domain}",
            Detail = $"owner {ownerName} ({ownerId}); team {team ?? "(none)"}; zone {command.HostedZoneName ?? "(DNS elsewhere)"}",
        });
        try
        {
            await save.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (save.IsUniqueViolation(ex))
        {
            return AdoptionResult.Refused(RefusalCode.Conflict, $"{domain} was taken by another request a moment ago; nothing was adopted.", read.Preview);
        }

        return new(read.Preview, id, null, null, []);
    }

    private static AdoptionResult? RefuseActor(Actor actor) =>
        actor.IsIn(PortalRole.Admin) && !actor.IsServiceAccount
            ? null
            : AdoptionResult.Refused(RefusalCode.RoleRequired, "Adopting an existing domain needs the Admin role.");

    private static async Task<AdoptionResult?> ManagedByAsync(PortalDbContext db, string domain, CancellationToken ct)
    {
        var existing = await db.Requests.AsNoTracking()
            .Where(r => r.Kind == RequestKind.MtaSts && r.PrimaryName == domain && r.State != RequestState.Withdrawn && r.State != RequestState.Decommissioned)
            .Select(r => new { r.Id, r.State })
            .FirstOrDefaultAsync(ct);
        return existing is null
            ? null
            : AdoptionResult.Refused(RefusalCode.Conflict,
                $"{domain} is already managed by the portal: request {existing.Id} is {WorkflowRules.Describe(existing.State)}. Nothing was adopted.");
    }
}
