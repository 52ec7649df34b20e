using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Pages.Account.Provider;

namespace Portal.Tests.Identity;

/// <summary>
/// The built-in provider locks an account after Identity:MaxFailedAttempts wrong passwords or wrong codes in a row. The
/// password step does not say so (it would tell anyone the account exists); the code step, past the right password, does.
/// </summary>
public sealed class LockoutTests
{
    private const string Email = "lena@example.test";
    private const string Password = "the right password";

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_so_the_right_one_is_refused_too_with_the_same_answer()
    {
        await using var portal = new LivePortal();
        await portal.CreateUserAsync(Email, "Lena Lockout", PortalRole.Requester, Password);
        using var form = new SignInForm(portal);

        for (var i = 0; i < 4; i++)
        {
            var wrong = await form.PostAsync("/account/login", ("Email", Email), ("Password", $"wrong {i}"));
            Assert.Contains(LoginModel.WrongCredentials, WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        var fifth = await form.PostAsync("/account/login", ("Email", Email), ("Password", "wrong 5"));
        Assert.Contains(LoginModel.WrongCredentials, WebUtility.HtmlDecode(await fifth.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var right = await form.PostAsync("/account/login", ("Email", Email), ("Password", Password));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(LoginModel.WrongCredentials, WebUtility.HtmlDecode(await right.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.True(await IsLockedOutAsync(portal));
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account_so_the_right_code_is_refused_too()
    {
        await using var portal = new LivePortal();
        await portal.CreateUserAsync(Email, "Lena Lockout", PortalRole.Requester, Password);
        var key = await EnrolAsync(portal);
        using var form = new SignInForm(portal);

        var password = await form.PostAsync("/account/login", ("Email", Email), ("Password", Password));
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/login-code", password.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var wrongCode = Authenticator.WrongCode(key);
        for (var i = 0; i < 4; i++)
        {
            var wrong = await form.PostAsync("/account/login-code", ("Code", wrongCode));
            Assert.Contains(LoginCodeModel.WrongCode, WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        var fifth = await form.PostAsync("/account/login-code", ("Code", wrongCode));
        Assert.Contains(LoginModel.LockedOut, WebUtility.HtmlDecode(await fifth.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // Locked: the pending sign-in is void, and the right code no longer helps.
        var right = await form.PostAsync("/account/login-code", ("Code", Authenticator.Code(key)));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.StartsWith("/account/login", right.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("login-code", right.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.True(await IsLockedOutAsync(portal));
    }

    private static async Task<string> EnrolAsync(LivePortal portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(Email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    private static async Task<bool> IsLockedOutAsync(LivePortal portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.IsLockedOutAsync((await users.FindByEmailAsync(Email))!);
    }
}
