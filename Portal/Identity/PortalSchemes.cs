using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Portal.Identity;

/// <summary>Authentication schemes of the portal: its session cookie, the OIDC sign-in and bearer tokens for the API.</summary>
public static class PortalSchemes
{
    public const string Session = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OpenIdConnect = OpenIdConnectDefaults.AuthenticationScheme;
    public const string Bearer = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>Item of the challenge's properties that asks the provider for a fresh sign-in (step-up).</summary>
    public const string StepUpItem = "portal.step_up";
}

/// <summary>
/// Authorization policies. The fallback policy (every endpoint without its own rule) is <see cref="AnyRole"/>: signed in
/// with MFA and holding at least one portal role, so a person the provider knows but nobody gave a role sees nothing.
/// </summary>
public static class PortalPolicies
{
    /// <summary>Signed in, MFA or not: only the page that explains a missing MFA and sign-out use it.</summary>
    public const string SignedIn = "SignedIn";

    public const string SignedInWithMfa = "SignedInWithMfa";

    /// <summary>Signed in with MFA and holding Requester, Approver or Admin: the rule of every page without its own.</summary>
    public const string AnyRole = "AnyRole";
    public const string Requester = "Requester";
    public const string Approver = "Approver";
    public const string Admin = "Admin";

    /// <summary>REST API: a bearer token from the same provider, with the same MFA rule and, like every page, a portal role.</summary>
    public const string Api = "Api";
}
