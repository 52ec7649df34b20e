using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Identity.BuiltIn;
using Portal.Core.Workflow;
using Portal.Pages.Account.Provider;

namespace Portal.Tests.Identity;

/// <summary>An authenticator code signs in once: not again, not twice at the same moment, and not two steps late.</summary>
public sealed class TotpReplayTests
{
    private const string Email = "tom@example.test";
    private const string Password = "toms own password";

    [Fact]
    public async Task A_code_that_completed_one_sign_in_does_not_complete_another()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        var code = Authenticator.Code(key);

        using (var first = new HttpBrowser(portal))
        {
            var hops = await first.SignInAsync(Email, Password, code);
            Assert.Equal("/signin-oidc", hops[^1].RequestMessage!.RequestUri!.AbsolutePath);
        }

        using var second = new HttpBrowser(portal);
        var replay = await second.SignInAsync(Email, Password, code);
        Assert.Single(replay);
        Assert.Equal(HttpStatusCode.OK, replay[0].StatusCode);
        Assert.Contains(LoginCodeModel.WrongCode, WebUtility.HtmlDecode(await replay[0].Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_sign_ins_posting_the_same_code_at_once_let_exactly_one_through()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        var code = Authenticator.Code(key);
        var browsers = Enumerable.Range(0, 4).Select(_ => new HttpBrowser(portal)).ToList();
        try
        {
            var results = await Task.WhenAll(browsers.Select(b => b.SignInAsync(Email, Password, code)));
            Assert.Equal(1, results.Count(r => r[^1].RequestMessage!.RequestUri!.AbsolutePath == "/signin-oidc"));
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public async Task A_code_two_steps_old_is_refused()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        using var browser = new HttpBrowser(portal);

        var late = await browser.SignInAsync(Email, Password, Authenticator.Code(key, DateTime.UtcNow.AddSeconds(-60)));

        Assert.Single(late);
        Assert.Contains(LoginCodeModel.WrongCode, WebUtility.HtmlDecode(await late[0].Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_an_mfa_reset_the_new_authenticators_first_code_works_at_once()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, Email, Password, PortalRole.Requester);
        using (var first = new HttpBrowser(portal))
        {
            var hops = await first.SignInAsync(Email, Password, Authenticator.Code(key));
            Assert.Equal("/signin-oidc", hops[^1].RequestMessage!.RequestUri!.AbsolutePath);
        }

        string newKey;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserAdministration>().ResetMfaAsync(new ResetMfaCommand(UserKey.ByEmail(Email)))).Succeeded);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByEmailAsync(Email))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            newKey = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        // The current step was spent with the old key a moment ago; with the new key it is a first use.
        using var second = new HttpBrowser(portal);
        var again = await second.SignInAsync(Email, Password, Authenticator.Code(newKey));
        Assert.Equal("/signin-oidc", again[^1].RequestMessage!.RequestUri!.AbsolutePath);
    }
}
