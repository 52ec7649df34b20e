using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Identity.BuiltIn;

namespace Portal.Pages.Account.Provider;

[AllowAnonymous]
[EnableRateLimiting(BuiltInClient.SignInRateLimit)]
public sealed class LoginModel(UserManager<PortalUser> users, SignInManager<PortalUser> signIn, ProviderSignIn flow, SecurityAudit audit, PasswordCheckEqualizer equalizer) : ProviderPageModel
{
    /// <summary>
    /// The one answer to every refused password step (unknown address, wrong password, locked or disabled account), so
    /// the form does not tell anyone which addresses have accounts. Why is in the security log.
    /// </summary>
    public const string WrongCredentials = "The email address or password is not right, or the account cannot sign in right now. Try again later or ask an administrator.";

    /// <summary>Shown at the code step only, to someone who has just given the right password.</summary>
    public const string LockedOut = "Too many failed attempts: this account is locked for a while. Try again later or ask an administrator.";

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your email address and your password.";
            return Page();
        }

        var user = await users.FindByEmailAsync(Email.Trim());
        if (user is null)
        {
            equalizer.SpendOneCheck(Password);
            await audit.RecordAsync(SecurityEventKind.SignInRefused, null, Email.Trim(), "unknown email address");
            Error = WrongCredentials;
            return Page();
        }

        var wasLocked = await users.IsLockedOutAsync(user);
        if (wasLocked)
        {
            // Identity refuses a locked account before it looks at the password.
            equalizer.SpendOneCheck(Password);
        }

        var result = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        if (user.DisabledAt is not null || result.IsLockedOut || !result.Succeeded)
        {
            var (kind, why) = user.DisabledAt is not null ? (SecurityEventKind.SignInRefused, "account disabled")
                : result.IsLockedOut && !wasLocked ? (SecurityEventKind.LockedOut, "too many wrong passwords")
                : result.IsLockedOut ? (SecurityEventKind.SignInRefused, "account locked")
                : (SecurityEventKind.SignInRefused, "wrong password");
            await audit.RecordAsync(kind, user.Id, user.Email, why);
            Error = WrongCredentials;
            return Page();
        }

        await flow.StartPendingAsync(user);
        return RedirectToPage(user.TwoFactorEnabled ? "LoginCode" : "Enrol", new { ReturnUrl });
    }
}
