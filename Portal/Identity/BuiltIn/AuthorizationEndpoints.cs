using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Portal.Core.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// The built-in provider's authorization and end-session endpoints. OpenIddict validates the protocol; these decide
/// who is signed in: only a provider session that passed password and TOTP yields tokens, and <c>prompt=login</c> or
/// an exceeded <c>max_age</c> (step-up) send the person through the sign-in pages again.
/// </summary>
public static class AuthorizationEndpoints
{
    public static IEndpointRouteBuilder MapBuiltInIdentityProvider(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapMethods("/connect/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapDeviceVerification();
        return endpoints;
    }

    /// <summary>
    /// The portal's own sign-in session and whether it may stand for its person now: an enabled account with an
    /// authenticator, not locked out, signed in with MFA at a known time. The authorization and device verification
    /// endpoints both hand out tokens only on such a session.
    /// </summary>
    internal static async Task<(AuthenticateResult Session, PortalUser? User, DateTimeOffset? AuthTime, bool Usable)> PortalSessionAsync(HttpContext context, UserManager<PortalUser> users)
    {
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;
        var authTime = session.Succeeded ? SignInRules.ReadAuthTime(session.Principal!.Claims) : null;
        var usable = user is not null
            && user.DisabledAt is null
            && user.TwoFactorEnabled
            && !await users.IsLockedOutAsync(user)
            && authTime is not null
            && session.Principal!.HasClaim(PortalClaimTypes.Amr, "mfa");
        return (session, user, authTime, usable);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserManager<PortalUser> users, TimeProvider clock)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var (session, user, authTime, usable) = await PortalSessionAsync(context, users);
        var tooOld = request.MaxAge is { } maxAge && authTime is { } at && clock.GetUtcNow() - at > TimeSpan.FromSeconds(maxAge);

        if (!usable || tooOld || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user must sign in.",
                }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            if (session.Succeeded)
            {
                await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            }

            // Back to this endpoint after signing in, without prompt/max_age: the new sign-in is the fresh one they asked for.
            var parameters = (context.Request.HasFormContentType ? context.Request.Form.AsEnumerable() : context.Request.Query.AsEnumerable())
                .Where(p => p.Key is not (Parameters.Prompt or Parameters.MaxAge))
                .Select(p => new KeyValuePair<string, StringValues>(p.Key, p.Value));
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters) },
                [IdentityConstants.ApplicationScheme]);
        }

        var identity = await PersonIdentityAsync(users, user!, session.Principal!, authTime!.Value);
        identity.SetScopes(request.GetScopes());
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The claims of a person's tokens, for the portal (authorization code) and the command line (device code) alike.</summary>
    internal static async Task<ClaimsIdentity> PersonIdentityAsync(UserManager<PortalUser> users, PortalUser user, ClaimsPrincipal session, DateTimeOffset authTime)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email : user.DisplayName)
            .SetClaim(Claims.Email, user.Email)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)])
            .SetClaims(Claims.AuthenticationMethodReference, [.. session.FindAll(PortalClaimTypes.Amr).Select(c => c.Value).Distinct(StringComparer.Ordinal)]);
        identity.AddClaim(new Claim(Claims.AuthenticationTime, authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        identity.SetResources(BuiltInClient.ApiAudience);
        identity.SetDestinations(PersonDestinations);
        return identity;
    }

    /// <summary>Which of a person's claims go into which token; the command line's session start stays in its refresh token.</summary>
    internal static string[] PersonDestinations(Claim claim) => claim.Type switch
    {
        Claims.Name or Claims.Email or Claims.Role or Claims.AuthenticationMethodReference or Claims.AuthenticationTime
            => [Destinations.AccessToken, Destinations.IdentityToken],
        CommandLineSessions.StartedClaim => [],
        _ => [Destinations.AccessToken],
    };

    /// <summary>
    /// Signs out of the provider when the request proves the person's own client asked for it: a valid
    /// <c>id_token_hint</c> (OpenIddict has checked it is one of ours), or the confirmation form posted with its
    /// antiforgery token. A bare link (an image or a link on another site) only gets the confirmation form, so nobody
    /// can sign a person out behind their back. The authorization behind the hinted sign-in and its tokens are revoked.
    /// </summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context, IAntiforgery antiforgery, SessionRevocation revocation, SecurityAudit audit)
    {
        // Without a hint OpenIddict still answers with a principal, an empty one: only one naming a subject is a hint.
        var hinted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var hint = hinted.Succeeded && hinted.Principal?.GetClaim(Claims.Subject) is { Length: > 0 } ? hinted.Principal : null;
        var confirmed = HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
            && context.Request.Form[ConfirmField] == "1" && await antiforgery.IsRequestValidAsync(context);
        if (hint is null && !confirmed)
        {
            return ConfirmationPage(antiforgery.GetAndStoreTokens(context));
        }

        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        if (hint?.GetAuthorizationId() is { Length: > 0 } authorization)
        {
            await revocation.RevokeAuthorizationAsync(authorization, context.RequestAborted);
        }

        var subject = hint?.GetClaim(Claims.Subject) ?? session.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        await audit.RecordAsync(SecurityEventKind.SignedOut, subject, hint?.GetClaim(Claims.Email), hint is null ? "at the provider, confirmed by form" : "at the provider, asked by the portal");
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/account/signed-out" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public const string ConfirmField = "confirm";

    private static IResult ConfirmationPage(AntiforgeryTokenSet tokens)
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" /><title>Sign out · Portal</title><link rel="stylesheet" href="/account.css" /></head>
            <body><main class="account">
            <p class="brand">Static Site and MTA-STS Portal</p>
            <h1>Sign out?</h1>
            <p>Sign out of the portal's identity provider in this browser?</p>
            <form method="post" action="/connect/logout">
            <input name="{encoder.Encode(tokens.FormFieldName)}" type="hidden" value="{encoder.Encode(tokens.RequestToken ?? "")}" />
            <input type="hidden" name="{ConfirmField}" value="1" />
            <button type="submit" id="confirm-sign-out">Sign out</button>
            </form>
            <p><a href="/">Back to the portal</a></p>
            </main></body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
