using Microsoft.EntityFrameworkCore;
using Portal.Core.Workflow;
using Portal.Core.Zones;
using Portal.Infrastructure.Persistence;

namespace Portal.Infrastructure.Teams;

/// <summary>
/// What the database adds to an actor and to a request's rules: memberships and per-team approvers managed by admins,
/// and the allowed hosted zones. Read in the caller's unit of work, so a command sees one consistent picture.
/// </summary>
public static class TeamAccess
{
    /// <summary>The actor with the teams and approver teams admins gave them added to those their provider's claims carry.</summary>
    public static async Task<Actor> CompleteAsync(PortalDbContext db, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsSystem)
        {
            return actor;
        }

        var members = await db.TeamMembers.AsNoTracking().Where(m => m.PersonId == actor.Id).Select(m => m.TeamId).ToListAsync(ct);
        var approves = actor.IsServiceAccount
            ? []
            : await db.TeamApprovers.AsNoTracking().Where(m => m.PersonId == actor.Id).Select(m => m.TeamId).ToListAsync(ct);
        if (members.Count == 0 && approves.Count == 0)
        {
            return actor;
        }

        return actor with
        {
            Teams = actor.Teams.Concat(members).ToHashSet(StringComparer.Ordinal),
            ApproverTeams = actor.ApproverTeams.Concat(approves).ToHashSet(StringComparer.Ordinal),
        };
    }

    public static async Task<IReadOnlyList<ZoneGrant>> GrantsAsync(PortalDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.ZoneGrants.AsNoTracking().ToListAsync(ct);
        return rows.Select(r => r.ToGrant()).ToList();
    }
}
