using Portal.Core.Identity;

using Portal.Identity;

namespace Portal.Api;

/// <summary>
/// The REST API's one place to plug in: every endpoint under <c>/api</c> takes a bearer token from the same identity
/// provider as the pages, with the same MFA and role rule (policy <see cref="PortalPolicies.Api"/>); cookies are not
/// accepted there, so no API call can be forged from a browser session.
/// </summary>
public static class ApiGroup
{
    public static RouteGroupBuilder MapPortalApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Every operation can answer these two (no or a bad token; no MFA or no portal role): the document says so once here.
        var api = endpoints.MapGroup("/api").RequireAuthorization(PortalPolicies.Api)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/me", (HttpContext context) =>
        {
            var actor = ActorFactory.FromPrincipal(context.User);
            return actor is null
                ? Results.Unauthorized()
                : Results.Ok(new { actor.Id, actor.DisplayName, Roles = actor.Roles.Select(r => r.ToString()).Order(), actor.AuthenticatedAt });
        });
        return api;
    }
}
