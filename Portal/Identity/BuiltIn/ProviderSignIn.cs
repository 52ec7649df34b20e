using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Portal.Core.Identity;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// The built-in provider's own sign-in session, in two steps: after the password a short-lived "pending" cookie
/// names the user; only a valid TOTP code (or a recovery code, or a completed enrolment) turns it into the provider
/// session, which records <c>amr</c> pwd+otp+mfa and the authentication time for the id token.
/// </summary>
public sealed class ProviderSignIn(SignInManager<PortalUser> signIn, UserManager<PortalUser> users, IHttpContextAccessor http, TimeProvider clock)
{
    private const string PendingUserClaim = ClaimTypes.Name;

    private HttpContext Context => http.HttpContext ?? throw new InvalidOperationException("Provider sign-in needs an HTTP request.");

    public async Task StartPendingAsync(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(PendingUserClaim, user.Id));
        await Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>The user who passed the password step in this browser, if still allowed to sign in.</summary>
    public async Task<PortalUser?> PendingUserAsync()
    {
        var result = await Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var id = result.Principal?.FindFirstValue(PendingUserClaim);
        if (id is null)
        {
            return null;
        }

        var user = await users.FindByIdAsync(id);
        return user is null || user.DisabledAt is not null || await users.IsLockedOutAsync(user) ? null : user;
    }

    public async Task CompleteAsync(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        await Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await users.ResetAccessFailedCountAsync(user);
        var now = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
        [
            new Claim(PortalClaimTypes.Amr, "pwd"),
            new Claim(PortalClaimTypes.Amr, "otp"),
            new Claim(PortalClaimTypes.Amr, "mfa"),
            new Claim(PortalClaimTypes.AuthTime, now, ClaimValueTypes.Integer64),
        ]);
    }

    /// <summary>A 6-digit code from the user's authenticator app, or one of their recovery codes (used up).</summary>
    public async Task<CodeCheck> CheckCodeAsync(PortalUser user, string? code)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await users.IsLockedOutAsync(user))
        {
            return CodeCheck.LockedOut;
        }

        var text = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
        var valid = text.Length == 6 && text.All(char.IsAsciiDigit)
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, text)
            : text.Length > 0 && (await users.RedeemTwoFactorRecoveryCodeAsync(user, (code ?? "").Trim())).Succeeded;
        if (valid)
        {
            return CodeCheck.Valid;
        }

        await users.AccessFailedAsync(user);
        return await users.IsLockedOutAsync(user) ? CodeCheck.LockedOut : CodeCheck.Wrong;
    }
}

public enum CodeCheck
{
    Valid,
    Wrong,
    LockedOut,
}
