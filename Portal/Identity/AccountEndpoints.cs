using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Core.Identity;
using Portal.Identity.BuiltIn;

namespace Portal.Identity;

/// <summary>
/// The portal's side of signing in, for every provider: start a sign-in, sign out of the portal and the provider,
/// and step up (a fresh sign-in, asked of the provider with <c>prompt=login</c> and <c>max_age=0</c>) before a
/// promotion, rejection or decommission.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapPortalAccount(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/account/signin", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) }, [PortalSchemes.OpenIdConnect]))
            .AllowAnonymous();

        endpoints.MapGet("/account/step-up", (string? returnUrl) =>
            {
                var properties = new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) };
                properties.Items[PortalSchemes.StepUpItem] = "1";
                return Results.Challenge(properties, [PortalSchemes.OpenIdConnect]);
            })
            .RequireAuthorization(PortalPolicies.SignedIn);

        endpoints.MapPost("/account/signout", async Task<Results<SignOutHttpResult, BadRequest<string>>> (HttpContext context, IAntiforgery antiforgery) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return TypedResults.BadRequest("The sign-out form expired; reload the page and sign out again.");
                }

                return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/account/signed-out" }, [PortalSchemes.Session, PortalSchemes.OpenIdConnect]);
            })
            .RequireAuthorization(PortalPolicies.SignedIn)
            .DisableAntiforgery();

        // Who the portal thinks you are: the same reading of the session the workflow uses.
        endpoints.MapGet("/account/me", (HttpContext context) =>
            ActorFactory.FromPrincipal(context.User) is { } actor
                ? Results.Ok(new { actor.Id, actor.DisplayName, Roles = actor.Roles.Select(r => r.ToString()).Order(), actor.AuthenticatedAt, Mfa = ActorFactory.HasMfa(context.User) })
                : Results.Unauthorized());
        return endpoints;
    }

    /// <summary>Only a path on this site; anything else (another host, <c>//evil</c>, <c>/\evil</c>) returns to the dashboard.</summary>
    public static string LocalOrRoot(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";
}
