using Microsoft.EntityFrameworkCore;
using Portal.Core.Teams;
using Portal.Core.Workflow;
using Portal.Core.Zones;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.Route53;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Teams;

/// <summary>The outcome of an admin change: done, or refused with a sentence for the person.</summary>
public sealed record AdminChangeResult(bool Succeeded, string? Message, bool NotFound = false)
{
    public static AdminChangeResult Ok { get; } = new(true, null);

    public static AdminChangeResult Refused(string message) => new(false, message);

    public static AdminChangeResult Missing(string message) => new(false, message, NotFound: true);
}

/// <summary>A team as the admin page shows it.</summary>
public sealed record TeamView(string Id, string Name, IReadOnlyList<PersonRef> Members, IReadOnlyList<PersonRef> Approvers);

public sealed record PersonRef(string Id, string Name);

/// <summary>One hosted zone of the account with who may use it.</summary>
public sealed record ZoneView(string ZoneId, string ZoneName, bool PrivateZone, bool InAccount, bool Everyone, IReadOnlyList<string> Teams);

/// <summary>The zones page's list, and why the account's own list is missing when it could not be read.</summary>
public sealed record ZoneListing(IReadOnlyList<ZoneView> Zones, string? Problem);

/// <summary>An admin change as the audit shows it.</summary>
public sealed record AdminAuditView(DateTimeOffset At, string ActorName, string Action, string Subject, string? Detail);

/// <summary>
/// Admins' changes to teams, memberships, per-team approvers and allowed zones, each recorded as an admin audit event
/// in the same unit of work. Every method checks the Admin role itself, so no page or endpoint can forget it.
/// </summary>
public sealed class TeamAdministration(IDbContextFactory<PortalDbContext> dbFactory, IRoute53Client route53, AwsAccess access, TimeProvider clock)
{
    public const string Everyone = "everyone";

    public async Task<IReadOnlyList<TeamView>> TeamsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        var members = await db.TeamMembers.AsNoTracking().ToListAsync(ct);
        var approvers = await db.TeamApprovers.AsNoTracking().ToListAsync(ct);
        return teams.Select(t => new TeamView(t.Id, t.Name,
            members.Where(m => m.TeamId == t.Id).OrderBy(m => m.PersonName, StringComparer.Ordinal).Select(m => new PersonRef(m.PersonId, m.PersonName)).ToList(),
            approvers.Where(m => m.TeamId == t.Id).OrderBy(m => m.PersonName, StringComparer.Ordinal).Select(m => new PersonRef(m.PersonId, m.PersonName)).ToList())).ToList();
    }

    /// <summary>The teams a person may put a request in: theirs (an admin: every team).</summary>
    public async Task<IReadOnlyList<TeamRecord>> TeamsForAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var full = await TeamAccess.CompleteAsync(db, actor, ct);
        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        var known = teams.Where(t => full.IsIn(PortalRole.Admin) || full.Teams.Contains(t.Id)).ToList();

        // A group claim may name a team no admin has created yet: it still counts, named by its id.
        known.AddRange(full.Teams.Where(id => teams.All(t => t.Id != id)).Order(StringComparer.Ordinal).Select(id => new TeamRecord { Id = id, Name = id }));
        return known;
    }

    /// <summary>Hosted zones a request of <paramref name="teamId"/> may use, for the forms' picker.</summary>
    public async Task<(IReadOnlyList<ZoneGrant> Zones, bool Enforced)> ZonesForTeamAsync(string? teamId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var grants = await TeamAccess.GrantsAsync(db, ct);
        return (ZoneRules.ForTeam(grants, teamId), grants.Count > 0);
    }

    /// <summary>Hosted zones a person may use in any of their teams.</summary>
    public async Task<IReadOnlyList<ZoneGrant>> ZonesForPersonAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var full = await TeamAccess.CompleteAsync(db, actor, ct);
        return ZoneRules.ForPerson(await TeamAccess.GrantsAsync(db, ct), full.Teams, full.IsIn(PortalRole.Admin));
    }

    /// <summary>Every hosted zone of the account (Route53 ListHostedZones, page by page) and the zones allowed, merged.</summary>
    public async Task<ZoneListing> ZonesAsync(CancellationToken ct = default)
    {
        var listed = new List<HostedZone>();
        string? problem = null;
        if (!(await access.GetStatusAsync(ct)).CanDeploy)
        {
            problem = "Plan-only mode: the portal has no AWS credentials, so the account's hosted zones cannot be listed. Zones allowed earlier are shown.";
        }
        else
        {
            try
            {
                string? marker = null;
                do
                {
                    var page = await route53.ListHostedZonesAsync(new ListHostedZonesRequest { Marker = marker, MaxItems = 100 }, ct);
                    listed.AddRange(page.HostedZones);
                    marker = page.IsTruncated ? page.NextMarker : null;
                }
                while (marker is not null);
            }
            catch (Amazon.Runtime.AmazonServiceException ex)
            {
                problem = $"Route53 refused to list the hosted zones ({ex.ErrorCode}: {ex.Message}); the portal's role needs route53:ListHostedZones.";
                listed.Clear();
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var grants = await TeamAccess.GrantsAsync(db, ct);
        var views = listed.Select(z => View(z.ShortId, z.Name.TrimEnd('.'), z.PrivateZone, inAccount: true, grants)).ToList();

        // A zone allowed earlier but gone from the account stays visible, so an admin can take it away.
        views.AddRange(grants.Where(g => listed.All(z => z.ShortId != g.ZoneId)).GroupBy(g => g.ZoneId, StringComparer.Ordinal)
            .Select(g => View(g.Key, g.First().ZoneName, false, inAccount: false, grants)));
        return new ZoneListing(views.OrderBy(v => v.ZoneName, StringComparer.Ordinal).ToList(), problem);
    }

    private static ZoneView View(string id, string name, bool isPrivate, bool inAccount, IReadOnlyList<ZoneGrant> grants)
    {
        var mine = grants.Where(g => g.ZoneId == id).ToList();
        return new ZoneView(id, name, isPrivate, inAccount, mine.Any(g => g.TeamId is null),
            mine.Where(g => g.TeamId is not null).Select(g => g.TeamId!).Order(StringComparer.Ordinal).ToList());
    }

    public async Task<IReadOnlyList<AdminAuditView>> RecentChangesAsync(int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AdminAuditEvents.AsNoTracking().OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(Math.Clamp(count, 1, 500)).ToListAsync(ct);
        return rows.Select(e => new AdminAuditView(e.At, e.ActorName, e.Action, e.Subject, e.Detail)).ToList();
    }

    /// <summary>Creates a team, or renames it when the id exists.</summary>
    public Task<AdminChangeResult> SaveTeamAsync(Actor actor, string id, string name, CancellationToken ct = default) =>
        ChangeAsync(actor, async db =>
        {
            if ((TeamRules.IdProblem(id) ?? TeamRules.NameProblem(name)) is { } problem)
            {
                return (AdminChangeResult.Refused(problem), null);
            }

            var trimmed = name.Trim();
            var team = await db.Teams.SingleOrDefaultAsync(t => t.Id == id, ct);
            if (team is null)
            {
                db.Teams.Add(new TeamRecord { Id = id, Name = trimmed, CreatedAt = clock.GetUtcNow() });
                return (AdminChangeResult.Ok, ("CreateTeam", $"team {id}", trimmed));
            }

            if (team.Name == trimmed)
            {
                return (AdminChangeResult.Ok, null);
            }

            var before = team.Name;
            team.Name = trimmed;
            return (AdminChangeResult.Ok, ("RenameTeam", $"team {id}", $"{before} → {trimmed}"));
        }, ct);

    public Task<AdminChangeResult> AddMemberAsync(Actor actor, string teamId, string personId, string personName, CancellationToken ct = default) =>
        ChangePersonAsync(actor, teamId, personId, personName, approver: false, add: true, ct);

    public Task<AdminChangeResult> RemoveMemberAsync(Actor actor, string teamId, string personId, CancellationToken ct = default) =>
        ChangePersonAsync(actor, teamId, personId, null, approver: false, add: false, ct);

    public Task<AdminChangeResult> AddApproverAsync(Actor actor, string teamId, string personId, string personName, CancellationToken ct = default) =>
        ChangePersonAsync(actor, teamId, personId, personName, approver: true, add: true, ct);

    public Task<AdminChangeResult> RemoveApproverAsync(Actor actor, string teamId, string personId, CancellationToken ct = default) =>
        ChangePersonAsync(actor, teamId, personId, null, approver: true, add: false, ct);

    private Task<AdminChangeResult> ChangePersonAsync(Actor actor, string teamId, string personId, string? personName, bool approver, bool add, CancellationToken ct) =>
        ChangeAsync(actor, async db =>
        {
            if (string.IsNullOrWhiteSpace(personId) || personId.Length > 200)
            {
                return (AdminChangeResult.Refused("Name the person by their subject id (as the Users page shows it)."), null);
            }

            if (!await db.Teams.AnyAsync(t => t.Id == teamId, ct))
            {
                return (AdminChangeResult.Missing($"There is no team '{teamId}'."), null);
            }

            var name = string.IsNullOrWhiteSpace(personName) ? personId : personName.Trim();
            var what = approver ? "approver" : "member";
            var subject = $"team {teamId}";
            if (approver)
            {
                var row = await db.TeamApprovers.SingleOrDefaultAsync(m => m.TeamId == teamId && m.PersonId == personId, ct);
                if (add == (row is not null))
                {
                    return (AdminChangeResult.Ok, null);
                }

                if (add)
                {
                    db.TeamApprovers.Add(new TeamApproverRecord { TeamId = teamId, PersonId = personId, PersonName = name });
                }
                else
                {
                    db.TeamApprovers.Remove(row!);
                    name = row!.PersonName;
                }
            }
            else
            {
                var row = await db.TeamMembers.SingleOrDefaultAsync(m => m.TeamId == teamId && m.PersonId == personId, ct);
                if (add == (row is not null))
                {
                    return (AdminChangeResult.Ok, null);
                }

                if (add)
                {
                    db.TeamMembers.Add(new TeamMemberRecord { TeamId = teamId, PersonId = personId, PersonName = name });
                }
                else
                {
                    db.TeamMembers.Remove(row!);
                    name = row!.PersonName;
                }
            }

            return (AdminChangeResult.Ok, ((add ? "Add" : "Remove") + (approver ? "Approver" : "Member"), subject, $"{what} {name} ({personId})"));
        }, ct);

    /// <summary>Allows a zone to a team, or to everyone when <paramref name="grantee"/> is <see cref="Everyone"/>.</summary>
    public Task<AdminChangeResult> AllowZoneAsync(Actor actor, string zoneId, string zoneName, string grantee, CancellationToken ct = default) =>
        ChangeAsync(actor, async db =>
        {
            if (string.IsNullOrWhiteSpace(zoneId) || zoneId.Length > 32 || string.IsNullOrWhiteSpace(zoneName) || zoneName.Length > 253)
            {
                return (AdminChangeResult.Refused("A zone needs its Route53 id and name."), null);
            }

            var team = grantee == Everyone ? null : grantee;
            if (team is not null && !await db.Teams.AnyAsync(t => t.Id == team, ct))
            {
                return (AdminChangeResult.Missing($"There is no team '{team}'."), null);
            }

            if (await db.ZoneGrants.AnyAsync(g => g.ZoneId == zoneId && g.TeamId == team, ct))
            {
                return (AdminChangeResult.Ok, null);
            }

            var name = zoneName.Trim().TrimEnd('.').ToLowerInvariant();
            db.ZoneGrants.Add(new ZoneGrantRecord { Id = Guid.CreateVersion7(clock.GetUtcNow()), ZoneId = zoneId, ZoneName = name, TeamId = team });
            return (AdminChangeResult.Ok, ("AllowZone", $"zone {name} ({zoneId})", team is null ? "to everyone" : $"to team {team}"));
        }, ct);

    public Task<AdminChangeResult> RevokeZoneAsync(Actor actor, string zoneId, string grantee, CancellationToken ct = default) =>
        ChangeAsync(actor, async db =>
        {
            var team = grantee == Everyone ? null : grantee;
            var row = await db.ZoneGrants.FirstOrDefaultAsync(g => g.ZoneId == zoneId && g.TeamId == team, ct);
            if (row is null)
            {
                return (AdminChangeResult.Ok, null);
            }

            db.ZoneGrants.Remove(row);
            return (AdminChangeResult.Ok, ("RevokeZone", $"zone {row.ZoneName} ({zoneId})", team is null ? "from everyone" : $"from team {team}"));
        }, ct);

    private async Task<AdminChangeResult> ChangeAsync(
        Actor actor, Func<PortalDbContext, Task<(AdminChangeResult Result, (string Action, string Subject, string? Detail)? Audit)>> change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsIn(PortalRole.Admin))
        {
            return AdminChangeResult.Refused("Teams and zones are managed by an admin.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (result, audit) = await change(db);
        if (!result.Succeeded || audit is not { } a)
        {
            return result;
        }

        var now = clock.GetUtcNow();
        db.AdminAuditEvents.Add(new AdminAuditRecord
        {
            Id = Guid.CreateVersion7(now), At = now, ActorId = actor.Id, ActorName = actor.DisplayName, Action = a.Action, Subject = a.Subject, Detail = a.Detail,
        });
        await db.SaveChangesAsync(ct);
        return result;
    }
}
