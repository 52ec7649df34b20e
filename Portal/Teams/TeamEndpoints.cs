using System.Text.Json;
using Portal.Api;
using Portal.Core.Identity;
using Portal.Core.Workflow;
using Portal.Infrastructure.Teams;

namespace Portal.Teams;

/// <summary>
/// Teams and zones over the API: what zones the caller may use (any role), and the admins' changes (Admin role), each
/// recorded as an admin audit event by <see cref="TeamAdministration"/>.
/// </summary>
public static class TeamEndpoints
{
    public sealed record ApiZone(string ZoneId, string ZoneName, string? Team);

    public sealed record ApiZoneGrant(string ZoneName);

    public sealed record ApiTeamBody(string Name);

    public sealed record ApiPersonBody(string? Name);

    public static RouteGroupBuilder MapTeamEndpoints(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapGet("/zones", MyZonesAsync).WithName("ListMyZones").WithTags("Teams and zones").Produces<IReadOnlyList<ApiZone>>();

        var admin = v1.MapGroup("/admin").WithTags("Teams and zones")
            .RequireAuthorization(p => p.RequireRole(nameof(PortalRole.Admin)));
        admin.MapGet("/zones", (TeamAdministration teams, CancellationToken ct) => teams.ZonesAsync(ct)).WithName("ListAccountZones").Produces<ZoneListing>();
        admin.MapPut("/zones/{zoneId}/grants/{grantee}", AllowZoneAsync).WithName("AllowZone")
            .Accepts<ApiZoneGrant>("application/json").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/zones/{zoneId}/grants/{grantee}", RevokeZoneAsync).WithName("RevokeZone").Produces(StatusCodes.Status204NoContent);
        admin.MapGet("/teams", (TeamAdministration teams, CancellationToken ct) => teams.TeamsAsync(ct)).WithName("ListTeams").Produces<IReadOnlyList<TeamView>>();
        admin.MapPut("/teams/{teamId}", SaveTeamAsync).WithName("SaveTeam")
            .Accepts<ApiTeamBody>("application/json").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem();
        admin.MapPut("/teams/{teamId}/{list:regex(^(members|approvers)$)}/{personId}", AddPersonAsync).WithName("AddTeamPerson")
            .Accepts<ApiPersonBody>("application/json").Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapDelete("/teams/{teamId}/{list:regex(^(members|approvers)$)}/{personId}", RemovePersonAsync).WithName("RemoveTeamPerson")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    private static async Task<IResult> MyZonesAsync(HttpContext context, TeamAdministration teams, CancellationToken ct)
    {
        if (ActorFactory.FromPrincipal(context.User) is not { } actor)
        {
            return Results.Unauthorized();
        }

        var zones = await teams.ZonesForPersonAsync(actor, ct);
        return Results.Ok(zones.Select(z => new ApiZone(z.ZoneId, z.ZoneName, z.TeamId)).ToList());
    }

    private static async Task<IResult> AllowZoneAsync(HttpContext context, string zoneId, string grantee, TeamAdministration teams, CancellationToken ct)
    {
        var body = await ReadAsync<ApiZoneGrant>(context, ct);
        if (body is null || string.IsNullOrWhiteSpace(body.ZoneName))
        {
            return ApiProblems.Validation("zoneName", "Name the zone, e.g. {\"zoneName\":\"example.com\"}.");
        }

        return Outcome(await teams.AllowZoneAsync(Actor(context), zoneId, body.ZoneName, grantee, ct));
    }

    private static async Task<IResult> RevokeZoneAsync(HttpContext context, string zoneId, string grantee, TeamAdministration teams, CancellationToken ct) =>
        Outcome(await teams.RevokeZoneAsync(Actor(context), zoneId, grantee, ct));

    private static async Task<IResult> SaveTeamAsync(HttpContext context, string teamId, TeamAdministration teams, CancellationToken ct)
    {
        var body = await ReadAsync<ApiTeamBody>(context, ct);
        return Outcome(await teams.SaveTeamAsync(Actor(context), teamId, body?.Name ?? "", ct));
    }

    private static async Task<IResult> AddPersonAsync(HttpContext context, string teamId, string list, string personId, TeamAdministration teams, CancellationToken ct)
    {
        var body = await ReadAsync<ApiPersonBody>(context, ct);
        var actor = Actor(context);
        return Outcome(list == "approvers"
            ? await teams.AddApproverAsync(actor, teamId, personId, body?.Name ?? personId, ct)
            : await teams.AddMemberAsync(actor, teamId, personId, body?.Name ?? personId, ct));
    }

    private static async Task<IResult> RemovePersonAsync(HttpContext context, string teamId, string list, string personId, TeamAdministration teams, CancellationToken ct)
    {
        var actor = Actor(context);
        return Outcome(list == "approvers"
            ? await teams.RemoveApproverAsync(actor, teamId, personId, ct)
            : await teams.RemoveMemberAsync(actor, teamId, personId, ct));
    }

    /// <summary>The group's policy already required a person with the Admin role; the service checks the role again.</summary>
    private static Actor Actor(HttpContext context) =>
        ActorFactory.FromPrincipal(context.User) ?? Core.Workflow.Actor.Person("", "", null);

    private static IResult Outcome(AdminChangeResult result) =>
        result.Succeeded ? Results.NoContent()
        : result.NotFound ? ApiProblems.NotFound(result.Message!)
        : ApiProblems.Validation("$", result.Message!);

    private static async Task<T?> ReadAsync<T>(HttpContext context, CancellationToken ct)
        where T : class
    {
        if (context.Request.ContentLength is 0 or null && context.Request.Headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, JsonSerializerOptions.Web, ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
