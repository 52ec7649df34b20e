using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Identity;
using Portal.Infrastructure.Persistence;

namespace Portal.Teams;

/// <summary>
/// Adds the teams and per-team approvals admins gave a person (the Teams and zones page) to their principal on every
/// request, so pages, the API and the Blazor circuit read one <see cref="Core.Workflow.Actor"/> with all of them; a
/// change by an admin counts from the person's next request, without signing in again.
/// </summary>
public sealed class TeamClaimsTransformation(IDbContextFactory<PortalDbContext> dbFactory) : IClaimsTransformation
{
    private const string Marker = "portal_teams_read";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity || principal.HasClaim(c => c.Type == Marker)
            || principal.FindFirst(PortalClaimTypes.Subject)?.Value is not { Length: > 0 } subject)
        {
            return principal;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var members = await db.TeamMembers.AsNoTracking().Where(m => m.PersonId == subject).Select(m => m.TeamId).ToListAsync();
        var approves = ActorFactory.IsServiceAccount(principal)
            ? []
            : await db.TeamApprovers.AsNoTracking().Where(m => m.PersonId == subject).Select(m => m.TeamId).ToListAsync();

        // The principal may be shared by the authentication handler's cache: change a copy.
        var copy = identity.Clone();
        copy.AddClaim(new Claim(Marker, "true"));
        foreach (var team in members.Where(t => !identity.HasClaim(PortalClaimTypes.Team, t)))
        {
            copy.AddClaim(new Claim(PortalClaimTypes.Team, team));
        }

        foreach (var team in approves)
        {
            copy.AddClaim(new Claim(PortalClaimTypes.ApproverTeam, team));
        }

        var result = new ClaimsPrincipal(copy);
        result.AddIdentities(principal.Identities.Skip(1));
        return result;
    }
}
