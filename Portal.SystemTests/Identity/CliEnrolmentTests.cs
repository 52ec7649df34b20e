using Portal.Cli;

namespace Portal.Tests.Identity;

/// <summary>
/// <c>users add</c> prints a one-time enrolment link; the new user opens it in a browser, chooses a password, enrols
/// TOTP and is signed in to the portal with the role given on the command line. The link works once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CliEnrolmentTests
{
    [Fact]
    public async Task Users_add_prints_a_one_time_link_with_which_the_user_enrols_and_signs_in()
    {
        await using var portal = new LivePortal();
        var settings = new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = portal.DataDirectory,
            ["Authentication:PublicOrigin"] = portal.BaseAddress.GetLeftPart(UriPartial.Authority),
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await UsersCommand.RunAsync(["add", "--email", "carol@example.test", "--role", "Approver", "--name", "Carol Cli"], stdout, stderr, settings);

        Assert.True(exit == 0, stderr.ToString());
        var link = stdout.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(portal.BaseAddress.ToString(), StringComparison.Ordinal));
        Assert.Contains("/account/invite?user=", link, StringComparison.Ordinal);

        await using var browser = await Browser.StartAsync();
        var page = browser.Page;
        await page.GotoAsync(link);
        await page.FillAsync("#password", "a long enough password");
        await page.FillAsync("#confirm", "a long enough password");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/account/enrol", StringComparison.Ordinal));
        var key = (await page.Locator("#totp-key").InnerTextAsync()).Trim();
        await page.FillAsync("#code", Authenticator.Code(key));
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("#continue");
        await page.WaitForURLAsync(portal.Url("/").ToString());
        Assert.Equal("Carol Cli", (await page.GetByTestId("signed-in-name").InnerTextAsync()).Trim());
        Assert.Equal(["Approver"], (await page.GetByTestId("signed-in-role").AllInnerTextsAsync()).Select(t => t.Trim()));

        // Used once: the same link is refused now.
        await page.GotoAsync(link);
        Assert.Contains("expired or has been used already", await page.Locator(".error").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "add", "--email", "not-an-address", "--role", "Approver" }, "--email: 'not-an-address' is not an email address.")]
    [InlineData(new[] { "add", "--email", "x@example.test", "--role", "Owner" }, "--role: 'Owner' is not one of Requester, Approver, Admin.")]
    [InlineData(new[] { "add", "--email", "x@example.test" }, "--role is required")]
    [InlineData(new[] { "add", "--role", "Admin" }, "--email is required.")]
    [InlineData(new[] { "add", "--email" }, "--email needs a value.")]
    [InlineData(new[] { "remove" }, "usage: users add")]
    public async Task Bad_arguments_exit_2_naming_the_argument(string[] args, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("portal-cli-").FullName;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await UsersCommand.RunAsync(args, stdout, stderr, new Dictionary<string, string?> { ["Database:DataDirectory"] = folder });

        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }
}
