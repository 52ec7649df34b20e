using System.Globalization;
using System.Security.Claims;
using Portal.Core.Workflow;

namespace Portal.Core.Identity;

/// <summary>
/// Turns the claims of a provider's token into the portal's session identity: who (subject and name), which roles,
/// whether MFA was proven and when the person authenticated. One set of rules for every provider.
/// </summary>
/// <param name="TeamClaim">
/// The provider's claim whose values name the person's teams (e.g. <c>groups</c>); null when teams are only managed in
/// the portal. A value that is not a valid team id is ignored.
/// </param>
public sealed record SignInRules(MfaRule Mfa, RoleMapping Roles, IReadOnlyList<string> SubjectClaims, string? TeamClaim = null)
{
    private static readonly string[] NameClaims = ["name", "preferred_username", "email", "upn"];

    /// <param name="tokenClaims">Claims as the provider sent them (no inbound mapping).</param>
    /// <param name="authenticationType">The session's authentication type (the cookie scheme).</param>
    /// <param name="fallbackAuthTime">
    /// Used when the token has no <c>auth_time</c> but the portal knows the person just authenticated (it asked for a
    /// fresh sign-in); otherwise the session has no authentication time and step-up will be asked for.
    /// </param>
    public ClaimsIdentity CreateSessionIdentity(IEnumerable<Claim> tokenClaims, string authenticationType, DateTimeOffset? fallbackAuthTime)
    {
        ArgumentNullException.ThrowIfNull(tokenClaims);
        var claims = tokenClaims.ToList();
        var identity = new ClaimsIdentity(authenticationType, PortalClaimTypes.Name, PortalClaimTypes.Role);

        var subject = SubjectClaims.Select(type => First(claims, type)).FirstOrDefault(v => v is not null)
            ?? throw new InvalidOperationException($"The token has none of the subject claims {string.Join(", ", SubjectClaims)}.");
        identity.AddClaim(new Claim(PortalClaimTypes.Subject, subject));
        identity.AddClaim(new Claim(PortalClaimTypes.Name, NameClaims.Select(type => First(claims, type)).FirstOrDefault(v => v is not null) ?? subject));
        if (First(claims, "email") is { } email)
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Email, email));
        }

        foreach (var role in Roles.RolesOf(claims).Order())
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Role, role.ToString()));
        }

        if (!string.IsNullOrEmpty(TeamClaim))
        {
            foreach (var team in ClaimValues.Of(claims, TeamClaim).Distinct(StringComparer.Ordinal).Where(t => Teams.TeamRules.IdProblem(t) is null).Order(StringComparer.Ordinal))
            {
                identity.AddClaim(new Claim(PortalClaimTypes.Team, team));
            }
        }

        foreach (var amr in ClaimValues.Of(claims, PortalClaimTypes.Amr).Distinct(StringComparer.Ordinal))
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Amr, amr));
        }

        if (First(claims, PortalClaimTypes.Acr) is { } acr)
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Acr, acr));
        }

        foreach (var context in ClaimValues.Of(claims, PortalClaimTypes.Acrs).Distinct(StringComparer.Ordinal))
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Acrs, context));
        }

        if (Mfa.IsSatisfiedBy(claims))
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Mfa, "true"));
        }

        var authTime = ReadAuthTime(claims) ?? fallbackAuthTime;
        if (authTime is { } at)
        {
            identity.AddClaim(new Claim(PortalClaimTypes.AuthTime, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        if (First(claims, "iss") is { } issuer)
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Issuer, issuer));
        }

        return identity;
    }

    public static DateTimeOffset? ReadAuthTime(IEnumerable<Claim> claims) =>
        First(claims, PortalClaimTypes.AuthTime) is { } text
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
        && seconds > 0
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static string? First(IEnumerable<Claim> claims, string type) =>
        claims.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(c.Value))?.Value;
}

/// <summary>Reads the portal's session identity back as the workflow's <see cref="Actor"/>.</summary>
public static class ActorFactory
{
    /// <summary>The signed-in person, or null for an anonymous principal or one without a subject.</summary>
    public static Actor? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true })
        {
            return null;
        }

        var subject = principal.FindFirst(PortalClaimTypes.Subject)?.Value;
        if (string.IsNullOrWhiteSpace(subject) || subject == Actor.SystemId)
        {
            return null;
        }

        var name = principal.FindFirst(PortalClaimTypes.Name)?.Value ?? subject;
        var teams = principal.FindAll(PortalClaimTypes.Team).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (IsServiceAccount(principal))
        {
            return Actor.ServiceAccount(subject, name) with { Teams = teams };
        }

        var roles = principal.FindAll(PortalClaimTypes.Role)
            .Select(c => RoleMapping.TryParseRole(c.Value, out var role) ? role : (PortalRole?)null)
            .OfType<PortalRole>()
            .ToHashSet();
        return new Actor(subject, name, roles, SignInRules.ReadAuthTime(principal.Claims))
        {
            Teams = teams,
            ApproverTeams = principal.FindAll(PortalClaimTypes.ApproverTeam).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
        };
    }

    public static bool IsServiceAccount(ClaimsPrincipal? principal) =>
        principal?.Identity is { IsAuthenticated: true } && principal.HasClaim(PortalClaimTypes.ServiceAccount, "true");

    public static bool HasMfa(ClaimsPrincipal? principal) =>
        principal?.Identity is { IsAuthenticated: true } && principal.HasClaim(PortalClaimTypes.Mfa, "true");
}
