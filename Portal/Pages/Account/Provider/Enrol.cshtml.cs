using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Identity.BuiltIn;
using QRCoder;

namespace Portal.Pages.Account.Provider;

/// <summary>TOTP enrolment, forced at the first sign-in: QR code and manual key, a code to prove it works, recovery codes.</summary>
[AllowAnonymous]
[EnableRateLimiting(BuiltInClient.SignInRateLimit)]
public sealed class EnrolModel(UserManager<PortalUser> users, ProviderSignIn flow) : ProviderPageModel
{
    public const string Issuer = "Portal";

    [BindProperty]
    public string? Code { get; set; }

    public string FormattedKey { get; private set; } = "";

    public string QrCodeDataUri { get; private set; } = "";

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await flow.PendingUserAsync();
        if (user is null)
        {
            return RedirectToPage("Login", new { ReturnUrl });
        }

        if (user.TwoFactorEnabled)
        {
            return RedirectToPage("LoginCode", new { ReturnUrl });
        }

        await ShowKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await flow.PendingUserAsync();
        if (user is null || user.TwoFactorEnabled)
        {
            return RedirectToPage("Login", new { ReturnUrl });
        }

        var check = (Code ?? "").Trim().Length == 6 ? await flow.CheckCodeAsync(user, Code) : CodeCheck.Wrong;
        if (check != CodeCheck.Valid)
        {
            Error = check == CodeCheck.LockedOut ? LoginModel.LockedOut : LoginCodeModel.WrongCode;
            await ShowKeyAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10) ?? []];
        await flow.CompleteAsync(user);
        return Page();
    }

    private async Task ShowKeyAsync(PortalUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("No authenticator key was stored.");
        }

        FormattedKey = Format(key);
        var uri = $"otpauth://totp/{Uri.EscapeDataString(Issuer + ":" + user.Email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    private static string Format(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }
}
