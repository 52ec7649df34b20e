using Portal.Identity.Settings;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Portal.Identity;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>Who is asking, for tests of what each kind of person may reach.</summary>
public enum Persona
{
    Anonymous,
    SignedInWithoutMfa,

    /// <summary>Signed in with MFA, but nobody gave them a portal role.</summary>
    WithoutRole,

    /// <summary>The requester who owns the requests a test makes for <see cref="Requester"/>.</summary>
    Requester,

    /// <summary>Another requester: the same role, but none of <see cref="Requester"/>'s requests are theirs.</summary>
    OtherRequester,
    Approver,
    Admin,

    /// <summary>
    /// A pipeline's service account: a client-credentials token of the built-in provider with the Requester role and no
    /// MFA. It has no session cookie and no person's claims; tests get its token from the token endpoint.
    /// </summary>
    ServiceAccount,
}

/// <summary>
/// Portal session cookies for tests that are about authorization rather than sign-in: the claims a provider's token
/// would carry go through the portal's own <see cref="SignInRules"/> and are sealed with the portal's own cookie
/// format, exactly as after a real sign-in (which the browser tests cover).
/// </summary>
public static class Sessions
{
    public static IEnumerable<Claim> TokenClaims(Persona persona, DateTimeOffset? authTime = null)
    {
        var at = (authTime ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var (sub, name, role, amr) = persona switch
        {
            Persona.SignedInWithoutMfa => ("nomfa-1", "Nora No-MFA", "Requester", "pwd"),
            Persona.WithoutRole => ("norole-1", "Nico No-Role", null, "mfa"),
            Persona.Requester => ("req-1", "Rita Requester", "Requester", "mfa"),
            Persona.OtherRequester => ("req-2", "Remy Requester", "Requester", "mfa"),
            Persona.Approver => ("app-1", "Arno Approver", "Approver", "mfa"),
            Persona.Admin => ("adm-1", "Ada Admin", "Admin", "mfa"),
            Persona.ServiceAccount => throw new ArgumentOutOfRangeException(nameof(persona), persona, "A service account has no person's claims: get its token with the client credentials grant."),
            _ => throw new ArgumentOutOfRangeException(nameof(persona), persona, "Anonymous has no session."),
        };
        List<Claim> claims =
        [
            new Claim("sub", sub), new Claim("name", name), new Claim("amr", "pwd"), new Claim("amr", amr),
            new Claim("auth_time", at, ClaimValueTypes.Integer64),
        ];
        if (role is not null)
        {
            claims.Add(new Claim("role", role));
        }

        return claims;
    }

    /// <summary>
    /// An access token as the built-in provider issues it (signed with its key, its issuer, the API audience) carrying
    /// <paramref name="tokenClaims"/>: the API reads it through the portal's own bearer handler and <see cref="SignInRules"/>.
    /// Real sign-ins cannot give a token without MFA, which the API must still refuse.
    /// </summary>
    public static string BearerToken(IServiceProvider services, IEnumerable<Claim> tokenClaims)
    {
        ArgumentNullException.ThrowIfNull(services);
        var now = DateTime.UtcNow;
        var audience = services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value.ApiAudience ?? BuiltInClient.ApiAudience;
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = services.GetRequiredService<PortalOrigin>().Primary.AbsoluteUri,
            Audience = audience,
            Subject = new ClaimsIdentity(tokenClaims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(30),
            TokenType = "at+jwt",
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                services.GetRequiredService<IdentityKeyRing>().Rsa(IdentityKeyRing.SigningKey), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256),
        });
    }

    public static string CookieValue(IServiceProvider services, IEnumerable<Claim> tokenClaims)
    {
        ArgumentNullException.ThrowIfNull(services);
        var identity = services.GetRequiredService<SignInRules>().CreateSessionIdentity(tokenClaims, PortalSchemes.Session, null);
        EnsureUserAsync(services, identity).GetAwaiter().GetResult();
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalSchemes.Session);
        var now = DateTimeOffset.UtcNow;
        var ticket = new AuthenticationTicket(
            new ClaimsPrincipal(identity), new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) }, PortalSchemes.Session);

        // The session lives in the portal's database; the cookie only names it, as the cookie handler does it.
        var key = options.SessionStore!.StoreAsync(ticket).GetAwaiter().GetResult();
        var reference = new ClaimsPrincipal(new ClaimsIdentity([new Claim(SessionIdClaim, key, ClaimValueTypes.String, options.ClaimsIssuer)], options.ClaimsIssuer));
        return options.TicketDataFormat.Protect(new AuthenticationTicket(reference, null, PortalSchemes.Session));
    }

    /// <summary>The claim of the cookie handler that names the session in its store.</summary>
    public const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    /// <summary>The session a portal session cookie names, or null once it has ended (signed out, revoked, expired).</summary>
    public static AuthenticationTicket? Read(IServiceProvider services, string cookie, string scheme = PortalSchemes.Session)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
        var key = options.TicketDataFormat.Unprotect(cookie)?.Principal.FindFirst(SessionIdClaim)?.Value;
        return key is null ? null : options.SessionStore!.RetrieveAsync(key).GetAwaiter().GetResult();
    }

    /// <summary>With the built-in provider a session must belong to one of its (enabled) users, as after a real sign-in.</summary>
    private static async Task EnsureUserAsync(IServiceProvider services, ClaimsIdentity identity)
    {
        if (services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value.Mode != IdentityProviderMode.BuiltIn)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var id = identity.FindFirst(PortalClaimTypes.Subject)!.Value;
        if (await users.FindByIdAsync(id) is null)
        {
            var created = await users.CreateAsync(new PortalUser { Id = id, UserName = $"{id}@example.test", Email = $"{id}@example.test", DisplayName = identity.Name ?? id });
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>A client that does not follow redirects, signed in as <paramref name="persona"/> (or not at all).</summary>
    public static HttpClient ClientFor(WebApplicationFactory<Program> portal, Persona persona, DateTimeOffset? authTime = null)
    {
        ArgumentNullException.ThrowIfNull(portal);
        var client = portal is LivePortal live
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = live.BaseAddress }
            : portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (persona != Persona.Anonymous)
        {
            client.DefaultRequestHeaders.Add("Cookie", $".portal.session={CookieValue(portal.Services, TokenClaims(persona, authTime))}");
        }

        return client;
    }
}
