using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Core.Identity;
using Portal.Identity.BuiltIn;
using Portal.Identity.Settings;

namespace Portal.Identity;

/// <summary>
/// The portal's side of signing in, for every provider: start a sign-in, sign out of the portal and the provider,
/// and step up (a fresh sign-in, asked of the provider with <c>prompt=login</c> and <c>max_age=0</c>) before a
/// promotion, rejection or decommission. Every return address goes through <see cref="LocalRedirectTarget"/>.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapPortalAccount(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/account/signin", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = LocalRedirectTarget.OrRoot(returnUrl) }, [PortalSchemes.OpenIdConnect]))
            .AllowAnonymous();

        endpoints.MapGet("/account/step-up", async (string? returnUrl, HttpContext context, SecurityAudit audit) =>
            {
                var properties = new AuthenticationProperties { RedirectUri = LocalRedirectTarget.OrRoot(returnUrl) };
                properties.Items[PortalSchemes.StepUpItem] = "1";
                var actor = ActorFactory.FromPrincipal(context.User);
                await audit.RecordAsync(SecurityEventKind.StepUpRequested, actor?.Id, actor?.DisplayName, $"to return to {properties.RedirectUri}");
                return Results.Challenge(properties, [PortalSchemes.OpenIdConnect]);
            })
            .RequireAuthorization(PortalPolicies.SignedIn);

        endpoints.MapPost("/account/signout", async Task<Results<SignOutHttpResult, BadRequest<string>>> (
                HttpContext context, IAntiforgery antiforgery, SecurityAudit audit, IOptions<PortalAuthenticationOptions> settings) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                {
                    return TypedResults.BadRequest("The sign-out form expired; reload the page and sign out again.");
                }

                var actor = ActorFactory.FromPrincipal(context.User);
                await audit.RecordAsync(SecurityEventKind.SignedOut, actor?.Id, actor?.DisplayName);
                if (settings.Value.Mode == IdentityProviderMode.BuiltIn)
                {
                    // The provider's session is on this site too: end it here, whether or not the browser follows the
                    // redirect to the provider's end-session endpoint.
                    await context.SignOutAsync(IdentityConstants.ApplicationScheme);
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
}
