using Portal.Cli;

namespace Portal.Tests.Identity;

/// <summary>
/// <c>users list|reset-mfa|disable|enable</c> name a user by email and say what they did in one line; a user that is
/// not there is refused with exit code 1, naming the email.
/// </summary>
public sealed class CliUserVerbsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portal-cli-users-").FullName;

    [Fact]
    public async Task Each_verb_changes_the_user_the_list_then_shows()
    {
        Assert.Equal(0, (await RunAsync("add", "--email", "vic@example.test", "--role", "Requester,Approver")).Exit);
        Assert.Equal(("Approver,Requester", "invited"), await ListedAsync("vic@example.test"));

        Assert.Equal((0, "disable: done for vic@example.test.\n"), await RunAsync("disable", "--email", "vic@example.test"));
        Assert.Equal(("Approver,Requester", "disabled"), await ListedAsync("vic@example.test"));

        Assert.Equal((0, "enable: done for vic@example.test.\n"), await RunAsync("enable", "--email", "vic@example.test"));
        Assert.Equal((0, "reset-mfa: done for vic@example.test.\n"), await RunAsync("reset-mfa", "--email", "vic@example.test"));
        Assert.Equal(("Approver,Requester", "invited"), await ListedAsync("vic@example.test"));
    }

    [Theory]
    [InlineData("reset-mfa")]
    [InlineData("disable")]
    [InlineData("enable")]
    public async Task A_user_who_is_not_there_is_refused_naming_the_email(string verb)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await UsersCommand.RunAsync([verb, "--email", "nobody@example.test"], stdout, stderr, Settings());

        Assert.Equal(1, exit);
        Assert.Equal($"users {verb}: email: no user nobody@example.test.", stderr.ToString().Trim());
        Assert.Empty(stdout.ToString());
    }

    [Fact]
    public async Task Adding_someone_again_before_they_enrol_adds_the_role_and_prints_a_new_link()
    {
        var first = await RunAsync("add", "--email", "val@example.test", "--role", "Admin");

        var again = await RunAsync("add", "--email", "val@example.test", "--role", "Approver");

        Assert.Equal((0, 0), (first.Exit, again.Exit));
        Assert.Contains("/account/invite?user=", again.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(first.Stdout, again.Stdout);
        Assert.Equal(("Admin,Approver", "invited"), await ListedAsync("val@example.test"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the OS cleans temp folders.
        }
    }

    private Dictionary<string, string?> Settings() => new() { ["Database:DataDirectory"] = _folder };

    private async Task<(int Exit, string Stdout)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await UsersCommand.RunAsync(args, stdout, stderr, Settings());
        Assert.True(exit == 0, stderr.ToString());
        return (exit, stdout.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>The roles (in order of name) and the state <c>users list</c> shows for <paramref name="email"/>.</summary>
    private async Task<(string Roles, string State)> ListedAsync(string email)
    {
        var line = (await RunAsync("list")).Stdout.Split('\n').Single(l => l.StartsWith(email + "\t", StringComparison.Ordinal)).Split('\t');
        return (string.Join(",", line[1].Split(',').Order(StringComparer.Ordinal)), line[2]);
    }
}
