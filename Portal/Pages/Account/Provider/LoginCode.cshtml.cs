using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Identity.BuiltIn;

namespace Portal.Pages.Account.Provider;

[AllowAnonymous]
[EnableRateLimiting(BuiltInClient.SignInRateLimit)]
public sealed class LoginCodeModel(ProviderSignIn flow) : ProviderPageModel
{
    public const string WrongCode = "That code is not right. Codes change every 30 seconds: use the current one.";

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await flow.PendingUserAsync() is null ? RedirectToPage("Login", new { ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await flow.PendingUserAsync();
        if (user is null || !user.TwoFactorEnabled)
        {
            return RedirectToPage("Login", new { ReturnUrl });
        }

        switch (await flow.CheckCodeAsync(user, Code))
        {
            case CodeCheck.Valid:
                await flow.CompleteAsync(user);
                return Continue();
            case CodeCheck.LockedOut:
                Error = LoginModel.LockedOut;
                return Page();
            default:
                Error = WrongCode;
                return Page();
        }
    }
}
