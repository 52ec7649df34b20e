using System.Net;

namespace Portal.Tests.Identity;

/// <summary>A person without a portal role can sign out from the "Not allowed" page, to sign in with another account.</summary>
public sealed class NotAllowedPageSignOutTests
{
    [Fact]
    public async Task The_not_allowed_page_has_a_sign_out_form_that_ends_the_session()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, "nico@example.test", "nicos own password");
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync("nico@example.test", "nicos own password", Authenticator.Code(key));
        var home = await browser.FollowAsync("/");
        Assert.Equal("/account/access-denied", home[^1].RequestMessage!.RequestUri!.AbsolutePath);
        var page = await home[^1].Content.ReadAsStringAsync();
        Assert.Contains("action=\"/account/signout\"", page, StringComparison.Ordinal);

        var signOut = await browser.PostFormAsync("/account/access-denied", "/account/signout");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var again = await browser.FollowAsync("/");
        Assert.Equal("/account/login", again[^1].RequestMessage!.RequestUri!.AbsolutePath);
    }
}
