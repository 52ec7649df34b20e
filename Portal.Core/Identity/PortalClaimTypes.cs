namespace Portal.Core.Identity;

/// <summary>
/// Claim types of the portal's own session. Whatever the identity provider calls things, a signed-in principal is
/// reshaped into these at sign-in, so the rest of the portal reads one vocabulary.
/// </summary>
public static class PortalClaimTypes
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Email = "email";
    public const string Role = "portal_role";

    /// <summary>"true" when the sign-in satisfied the configured MFA rule; absent otherwise.</summary>
    public const string Mfa = "portal_mfa";

    /// <summary>When the person last authenticated at the provider, in seconds since the Unix epoch (as in OIDC).</summary>
    public const string AuthTime = "auth_time";

    public const string Amr = "amr";
    public const string Acr = "acr";

    /// <summary>Entra ID's claim for satisfied Conditional Access authentication contexts (c1, c2, ...).</summary>
    public const string Acrs = "acrs";

    /// <summary>
    /// "true" on an API principal that is a service account (the built-in provider's client credentials): no person, so
    /// no MFA, and at most the Requester role. Only the portal's bearer handler sets it, for its own provider's tokens.
    /// </summary>
    public const string ServiceAccount = "portal_service_account";

    /// <summary>A team the person belongs to, by team id: from the provider's group claim, or added from the portal's own list.</summary>
    public const string Team = "portal_team";

    /// <summary>A team whose requests the person approves (per-team approver), added from the portal's own list.</summary>
    public const string ApproverTeam = "portal_approver_team";

    /// <summary>Issuer of the token the session came from.</summary>
    public const string Issuer = "portal_iss";
}
