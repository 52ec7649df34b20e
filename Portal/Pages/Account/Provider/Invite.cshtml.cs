using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Identity.BuiltIn;

namespace Portal.Pages.Account.Provider;

/// <summary>The one-time enrolment link: choose a password, then enrol an authenticator.</summary>
[AllowAnonymous]
[EnableRateLimiting(BuiltInClient.SignInRateLimit)]
public sealed class InviteModel(UserManager<PortalUser> users, ProviderSignIn flow, IOptions<BuiltInIdentityOptions> settings) : ProviderPageModel
{
    [BindProperty(SupportsGet = true)]
    public new string? User { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Confirm { get; set; }

    public string? Email { get; private set; }

    public bool Invalid { get; private set; }

    public int MinLength => settings.Value.MinPasswordLength;

    public async Task<IActionResult> OnGetAsync()
    {
        await CheckAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await CheckAsync();
        if (user is null)
        {
            return Page();
        }

        if (string.IsNullOrEmpty(Password) || Password != Confirm)
        {
            Error = "The two passwords are not the same.";
            return Page();
        }

        var reset = await users.ResetPasswordAsync(user, Token!, Password);
        if (!reset.Succeeded)
        {
            Error = string.Join(" ", reset.Errors.Select(e => e.Description));
            return Page();
        }

        await flow.StartPendingAsync(user);
        return RedirectToPage("Enrol");
    }

    private async Task<PortalUser?> CheckAsync()
    {
        var user = string.IsNullOrEmpty(User) ? null : await users.FindByIdAsync(User);
        if (user is null || string.IsNullOrEmpty(Token) || user.DisabledAt is not null || user.TwoFactorEnabled
            || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<PortalUser>.ResetPasswordTokenPurpose, Token))
        {
            Invalid = true;
            return null;
        }

        Email = user.Email;
        return user;
    }
}
