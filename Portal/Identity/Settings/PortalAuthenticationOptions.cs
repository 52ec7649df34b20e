using System.ComponentModel.DataAnnotations;
using Portal.Core.Identity;
using Portal.Core.Workflow;

namespace Portal.Identity.Settings;

/// <summary>Which identity provider the portal signs people in with; chosen by configuration.</summary>
public enum IdentityProviderMode
{
    /// <summary>The OpenID Connect provider inside the portal (default when nothing else is configured).</summary>
    BuiltIn,

    /// <summary>Any OpenID Connect provider (<c>Authentication:Authority</c>).</summary>
    Generic,

    /// <summary>Microsoft Entra ID through Microsoft.Identity.Web (<c>AzureAd:ClientId</c>).</summary>
    Entra,
}

/// <summary>Settings of the <c>Authentication</c> configuration section.</summary>
public sealed class PortalAuthenticationOptions : IValidatableObject
{
    public const string SectionName = "Authentication";

    /// <summary>Issuer URL of a generic OIDC provider. Set: the portal signs in there instead of its built-in provider.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid</c>.</summary>
    public List<string> Scopes { get; set; } = ["profile", "email"];

    /// <summary>Claim holding roles. Default: <c>role</c> (built-in), <c>roles</c> (Entra app roles and generic).</summary>
    public string? RoleClaim { get; set; }

    /// <summary>
    /// Claim whose values name the person's teams (e.g. <c>groups</c>); each value is a team id. Unset: teams are managed
    /// only on the portal's Teams and zones page.
    /// </summary>
    public string? TeamClaim { get; set; }

    /// <summary>Claim values (e.g. Entra group ids) that mean a portal role: <c>Authentication:RoleMap:&lt;value&gt;=Approver</c>.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Claim that identifies a person. Default: <c>oid</c> then <c>sub</c> for Entra, <c>sub</c> otherwise.</summary>
    public string? SubjectClaim { get; set; }

    /// <summary><c>amr</c> values that prove MFA (default <c>mfa</c>).</summary>
    public List<string> MfaAmrValues { get; set; } = ["mfa"];

    /// <summary><c>acr</c> or Entra <c>acrs</c> values that prove MFA (e.g. a Conditional Access authentication context <c>c1</c>).</summary>
    public List<string> MfaAcrValues { get; set; } = [];

    /// <summary>Asked of the provider at every sign-in as <c>acr_values</c>/<c>claims</c> when set (e.g. <c>c1</c> for Entra).</summary>
    public string? RequestAcrValues { get; set; }

    /// <summary>The portal's public base URL (e.g. https://portal.example.org) when it runs behind a proxy; otherwise derived from the listening address.</summary>
    public string? PublicOrigin { get; set; }

    /// <summary>Fetch claims from the userinfo endpoint after sign-in (for providers that keep roles out of the id token).</summary>
    public bool GetClaimsFromUserInfoEndpoint { get; set; }

    /// <summary><c>query</c> or <c>form_post</c>; default <c>query</c> for the built-in provider, <c>form_post</c> otherwise.</summary>
    public string? ResponseMode { get; set; }

    /// <summary>Allow an http:// authority (only sensible for a provider on loopback in tests or development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Audience expected in bearer tokens for the REST API; default the client id (<c>portal</c> for the built-in provider).</summary>
    public string? ApiAudience { get; set; }

    /// <summary>How long a portal session lasts without a new sign-in.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00", ErrorMessage = "Authentication:SessionLifetime must be between 00:05:00 and 1.00:00:00.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Set by the host from <c>AzureAd:ClientId</c>; not bound.</summary>
    internal bool EntraConfigured { get; set; }

    public IdentityProviderMode Mode => EntraConfigured
        ? IdentityProviderMode.Entra
        : !string.IsNullOrWhiteSpace(Authority) ? IdentityProviderMode.Generic : IdentityProviderMode.BuiltIn;

    public SignInRules CreateRules()
    {
        var map = new Dictionary<string, PortalRole>(StringComparer.Ordinal);
        foreach (var (value, name) in RoleMap)
        {
            if (RoleMapping.TryParseRole(name, out var role))
            {
                map[value] = role;
            }
        }

        var roleClaim = RoleClaim ?? (Mode == IdentityProviderMode.BuiltIn ? "role" : "roles");
        IReadOnlyList<string> subject = SubjectClaim is { Length: > 0 } s ? [s] : Mode == IdentityProviderMode.Entra ? ["oid", "sub"] : ["sub"];
        return new SignInRules(new MfaRule(MfaAmrValues, MfaAcrValues), new RoleMapping(roleClaim, map), subject, string.IsNullOrWhiteSpace(TeamClaim) ? null : TeamClaim);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == IdentityProviderMode.Generic)
        {
            if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            {
                yield return new ValidationResult($"Authentication:Authority must be an absolute https URL, got '{Authority}'.", [nameof(Authority)]);
            }
            else if (authority.Scheme == Uri.UriSchemeHttp && RequireHttpsMetadata)
            {
                yield return new ValidationResult(
                    "Authentication:Authority must use https; set Authentication:RequireHttpsMetadata=false only for a provider on loopback.", [nameof(Authority)]);
            }

            if (string.IsNullOrWhiteSpace(ClientId))
            {
                yield return new ValidationResult("Authentication:ClientId is required when Authentication:Authority is set.", [nameof(ClientId)]);
            }
        }

        if (MfaAmrValues.Count == 0 && MfaAcrValues.Count == 0)
        {
            yield return new ValidationResult(
                "Authentication:MfaAmrValues and Authentication:MfaAcrValues are both empty: at least one value must prove MFA.", [nameof(MfaAmrValues)]);
        }

        foreach (var (value, role) in RoleMap)
        {
            if (!RoleMapping.TryParseRole(role, out _))
            {
                yield return new ValidationResult(
                    $"Authentication:RoleMap:{value} must be one of {string.Join(", ", Enum.GetNames<PortalRole>())}, got '{role}'.", [nameof(RoleMap)]);
            }
        }

        if (PublicOrigin is not null
            && (!Uri.TryCreate(PublicOrigin, UriKind.Absolute, out var origin) || (origin.Scheme != Uri.UriSchemeHttps && origin.Scheme != Uri.UriSchemeHttp)
                || origin.AbsolutePath != "/" || !string.IsNullOrEmpty(origin.Query)))
        {
            yield return new ValidationResult(
                $"Authentication:PublicOrigin must be an http(s) origin without a path, e.g. https://portal.example.org, got '{PublicOrigin}'.", [nameof(PublicOrigin)]);
        }

        if (ResponseMode is not (null or "query" or "form_post"))
        {
            yield return new ValidationResult($"Authentication:ResponseMode must be query or form_post, got '{ResponseMode}'.", [nameof(ResponseMode)]);
        }
    }
}
