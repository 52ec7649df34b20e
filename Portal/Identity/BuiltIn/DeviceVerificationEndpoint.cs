using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Portal.Core.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// The end-user verification page of the device authorization grant (RFC 8628), for the command line: the person opens
/// it in a browser, signs in as usual (password, then TOTP), checks that the code matches the one the terminal shows,
/// and allows or denies. Only then does the terminal's polling get a token, carrying the person's own roles and MFA.
/// </summary>
public static class DeviceVerificationEndpoint
{
    public const string Path = "/connect/verify";
    public const string DecisionField = "decision";

    public static IEndpointRouteBuilder MapDeviceVerification(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], (Delegate)VerifyAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> VerifyAsync(
        HttpContext context, UserManager<PortalUser> users, IAntiforgery antiforgery, SecurityAudit audit, IOptions<BuiltInIdentityOptions> settings)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        if (context.Request.Query["done"] is { Count: > 0 } done)
        {
            return done == "allowed"
                ? Page("Signed in", "<p>The command line is signed in. You can close this page and go back to the terminal.</p>")
                : Page("Not signed in", "<p>You denied the request; the command line gets no access.</p>");
        }

        var (session, user, authTime, usable) = await AuthorizationEndpoints.PortalSessionAsync(context, users);
        if (!usable)
        {
            // After signing in the person comes back here, with the code they came with.
            var back = Path + (string.IsNullOrEmpty(request.UserCode) ? "" : QueryString.Create(Parameters.UserCode, request.UserCode).ToString());
            return Results.Challenge(new AuthenticationProperties { RedirectUri = back }, [IdentityConstants.ApplicationScheme]);
        }

        var tokens = antiforgery.GetAndStoreTokens(context);
        if (string.IsNullOrEmpty(request.UserCode))
        {
            return CodeForm(tokens, null);
        }

        var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        // An unknown or expired code still authenticates, as an empty principal: only one naming the client is a real code.
        if (!code.Succeeded || string.IsNullOrEmpty(code.Principal?.GetClaim(Claims.ClientId)))
        {
            return CodeForm(tokens, "That code is not valid or has expired. Check the code in your terminal, or run the login again.");
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return Confirmation(tokens, request.UserCode, user!, settings.Value);
        }

        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
        {
            return Confirmation(tokens, request.UserCode, user!, settings.Value);
        }

        if (context.Request.Form[DecisionField] != "allow")
        {
            return Results.Forbid(new AuthenticationProperties { RedirectUri = Path + "?done=denied" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = await AuthorizationEndpoints.PersonIdentityAsync(users, user!, session.Principal!, authTime!.Value);
        identity.SetScopes(code.Principal.GetScopes());
        await audit.RecordAsync(SecurityEventKind.SignedIn, user!.Id, user.Email, "command line (device code)");
        return Results.SignIn(new ClaimsPrincipal(identity), new AuthenticationProperties { RedirectUri = Path + "?done=allowed" },
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult CodeForm(AntiforgeryTokenSet tokens, string? problem)
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        var error = problem is null ? "" : $"""<p class="error" role="alert" id="code-error">{encoder.Encode(problem)}</p>""";
        var described = problem is null ? "" : """ aria-describedby="code-error" aria-invalid="true" """;
        return Page("Sign in the command line", $"""
            <p>Enter the code your terminal shows.</p>
            {error}
            <form method="get" action="{Path}">
            <label for="user_code">Code</label>
            <input id="user_code" name="{Parameters.UserCode}" autocomplete="off" autocapitalize="characters" required{described} />
            <button type="submit">Continue</button>
            </form>
            """);
    }

    private static IResult Confirmation(AntiforgeryTokenSet tokens, string userCode, PortalUser user, BuiltInIdentityOptions settings)
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        var name = encoder.Encode(string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName);
        return Page("Sign in the command line?", $"""
            <p>A command line asks to act as <strong>{name}</strong>, with your roles. It stays signed in while it is used
            (signed out after {Hours(settings.CommandLineIdleLifetime)} without use) for at most {Hours(settings.CommandLineMaxLifetime)}.</p>
            <p>Code: <strong id="shown-code">{encoder.Encode(userCode)}</strong></p>
            <p>Allow it only if you started <code>portal-cli login</code> yourself and your terminal shows this same code.</p>
            <form method="post" action="{Path}">
            <input name="{encoder.Encode(tokens.FormFieldName)}" type="hidden" value="{encoder.Encode(tokens.RequestToken ?? "")}" />
            <input type="hidden" name="{Parameters.UserCode}" value="{encoder.Encode(userCode)}" />
            <button type="submit" name="{DecisionField}" value="allow" id="allow">Allow</button>
            <button type="submit" name="{DecisionField}" value="deny" id="deny">Deny</button>
            </form>
            """);
    }

    private static string Hours(TimeSpan span) => span.TotalHours >= 48 && span.TotalDays == Math.Floor(span.TotalDays)
        ? $"{span.TotalDays:0} days"
        : $"{span.TotalHours:0.#} hours";

    private static IResult Page(string title, string body)
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" /><title>{encoder.Encode(title)} · Portal</title><link rel="stylesheet" href="/account.css" /></head>
            <body><main class="account">
            <p class="brand">Static Site and MTA-STS Portal</p>
            <h1>{encoder.Encode(title)}</h1>
            {body}
            </main></body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
