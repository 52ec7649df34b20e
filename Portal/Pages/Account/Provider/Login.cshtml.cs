using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Identity.BuiltIn;

namespace Portal.Pages.Account.Provider;

[AllowAnonymous]
[EnableRateLimiting(BuiltInClient.SignInRateLimit)]
public sealed class LoginModel(UserManager<PortalUser> users, SignInManager<PortalUser> signIn, ProviderSignIn flow) : ProviderPageModel
{
    public const string WrongCredentials = "The email address or password is not right.";
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
            Error = WrongCredentials;
            return Page();
        }

        var result = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        if (result.IsLockedOut || user.DisabledAt is not null)
        {
            Error = user.DisabledAt is not null ? "This account is disabled. Ask an administrator." : LockedOut;
            return Page();
        }

        if (!result.Succeeded)
        {
            Error = WrongCredentials;
            return Page();
        }

        await flow.StartPendingAsync(user);
        return RedirectToPage(user.TwoFactorEnabled ? "LoginCode" : "Enrol", new { ReturnUrl });
    }
}
