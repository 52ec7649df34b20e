using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Cli;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// The <c>users</c> verb protects its enrolment links with the same Data Protection keys as the portal, taken from the
/// database: run first on a fresh database from a machine with its own data folder (as <c>docker compose exec</c> in
/// another container), its link is honoured by a portal started afterwards elsewhere.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CliSharesDataProtectionKeysTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_enrolment_link_made_by_the_cli_on_a_fresh_database_is_honoured_by_a_portal_on_another_machine()
    {
        var connection = await postgres.CreateDatabaseAsync();
        using var cliFolder = new TemporaryFolder("portal-cli-keys-");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await UsersCommand.RunAsync(["add", "--email", "erin@example.test", "--role", "Requester"], stdout, stderr, new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = connection,
            ["Database:DataDirectory"] = cliFolder.Path,
            ["Authentication:PublicOrigin"] = "https://portal.example.test",
        });
        Assert.True(exit == 0, stderr.ToString());
        var link = new Uri(stdout.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("https://portal.example.test/", StringComparison.Ordinal)));

        await using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = connection,
        });
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(link.PathAndQuery, UriKind.Relative)));
        var tampered = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(link.PathAndQuery.Replace("token=", "token=x", StringComparison.Ordinal), UriKind.Relative)));

        Assert.Contains("Choose a password for <strong>erin@example.test</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("has expired or has been used already", page, StringComparison.Ordinal);
        Assert.Contains("has expired or has been used already", tampered, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(cliFolder.Path, "keys")));
        Assert.False(Directory.Exists(Path.Combine(portal.DataDirectory, "keys")));
    }
}
