using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Pages.Account.Provider;

namespace Portal.Tests.Identity;

/// <summary>
/// The password step answers an unknown address, a wrong password, a locked account and a disabled account with the
/// same page, so nobody can learn from it which addresses have accounts or what state they are in.
/// </summary>
public sealed partial class LoginRefusalsLookAlikeTests
{
    private const string Password = "the right password";

    [Fact]
    public async Task Unknown_wrong_locked_and_disabled_get_the_same_answer()
    {
        await using var portal = new LivePortal(new Dictionary<string, string?> { ["Identity:MaxFailedAttempts"] = "2" });
        await portal.CreateUserAsync("wrong@example.test", "Wrong", PortalRole.Requester, Password);
        await portal.CreateUserAsync("locked@example.test", "Locked", PortalRole.Requester, Password);
        await portal.CreateUserAsync("disabled@example.test", "Disabled", PortalRole.Requester, Password);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            Assert.True((await admin.SetDisabledAsync(new SetUserDisabledCommand(UserKey.ByEmail("disabled@example.test"), Disabled: true))).Succeeded);
        }

        using var form = new SignInForm(portal);
        await form.PostAsync("/account/login", ("Email", "locked@example.test"), ("Password", "wrong 1"));
        await form.PostAsync("/account/login", ("Email", "locked@example.test"), ("Password", "wrong 2"));

        var answers = new Dictionary<string, string>
        {
            ["unknown"] = await ErrorAsync(form, "nobody@example.test", Password),
            ["wrong password"] = await ErrorAsync(form, "wrong@example.test", "not the password"),
            ["locked, right password"] = await ErrorAsync(form, "locked@example.test", Password),
            ["disabled, right password"] = await ErrorAsync(form, "disabled@example.test", Password),
        };

        Assert.All(answers, a => Assert.Equal(LoginModel.WrongCredentials, a.Value));
    }

    private static async Task<string> ErrorAsync(SignInForm form, string email, string password)
    {
        var response = await form.PostAsync("/account/login", ("Email", email), ("Password", password));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = ErrorParagraph().Match(await response.Content.ReadAsStringAsync());
        Assert.True(error.Success, $"no error shown for {email}");
        return WebUtility.HtmlDecode(error.Groups[1].Value);
    }

    [GeneratedRegex("<p class=\"error\" role=\"alert\">([^<]*)</p>")]
    private static partial Regex ErrorParagraph();
}
