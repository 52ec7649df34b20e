using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Identity;

namespace Portal.Identity.BuiltIn;

/// <summary>
/// The built-in provider's own sign-in session, in two steps: after the password a short-lived "pending" cookie
/// names the user; only a valid TOTP code (or a recovery code, or a completed enrolment) turns it into the provider
/// session, which records <c>amr</c> pwd+otp+mfa and the authentication time for the id token.
/// </summary>
public sealed class ProviderSignIn(
    SignInManager<PortalUser> signIn, UserManager<PortalUser> users, PortalIdentityDbContext db, IHttpContextAccessor http, TimeProvider clock, SecurityAudit audit)
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

    /// <summary>
    /// A 6-digit code from the user's authenticator app (current step, or one either side), or one of their recovery
    /// codes (used up). A TOTP code's step is spent once accepted: the same code, or an older one, never works again.
    /// </summary>
    public async Task<CodeCheck> CheckCodeAsync(PortalUser user, string? code)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await users.IsLockedOutAsync(user))
        {
            return CodeCheck.LockedOut;
        }

        var text = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
        var valid = text.Length == 6 && text.All(char.IsAsciiDigit)
            ? await SpendTotpStepAsync(user, text)
            : text.Length > 0 && (await users.RedeemTwoFactorRecoveryCodeAsync(user, (code ?? "").Trim())).Succeeded;
        if (valid)
        {
            return CodeCheck.Valid;
        }

        await users.AccessFailedAsync(user);
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(SecurityEventKind.LockedOut, user.Id, user.Email, "too many wrong authenticator codes");
            return CodeCheck.LockedOut;
        }

        await audit.RecordAsync(SecurityEventKind.SignInRefused, user.Id, user.Email, "wrong or already used authenticator code");
        return CodeCheck.Wrong;
    }

    /// <summary>
    /// True when <paramref name="code"/> is the code of a step later than the last one accepted, and this request
    /// is the one that recorded it: the conditional update lets exactly one of two simultaneous sign-ins win.
    /// </summary>
    private async Task<bool> SpendTotpStepAsync(PortalUser user, string code)
    {
        var key = Totp.DecodeKey(await users.GetAuthenticatorKeyAsync(user));
        if (key is null || Totp.MatchingStep(key, code, clock.GetUtcNow(), user.LastTotpStep) is not { } step)
        {
            return false;
        }

        // A new concurrency stamp too, so a request still holding the user as it was cannot write the old step back.
        var stamp = Guid.NewGuid().ToString();
        var won = await db.Users
            .Where(u => u.Id == user.Id && (u.LastTotpStep == null || u.LastTotpStep < step))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastTotpStep, step).SetProperty(x => x.ConcurrencyStamp, stamp));
        await db.Entry(user).ReloadAsync();
        return won == 1;
    }
}

public enum CodeCheck
{
    Valid,
    Wrong,
    LockedOut,
}
