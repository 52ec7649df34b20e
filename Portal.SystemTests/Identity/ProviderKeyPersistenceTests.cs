using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// The built-in provider's signing keys live in the database: the same after a restart, and the same on every replica
/// (two portals on one PostgreSQL database, which also runs the provider's PostgreSQL migrations).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderKeyPersistenceTests(PostgresServer postgres)
{
    [Fact]
    public async Task Signing_keys_survive_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("portal-keys-").FullName;
        IReadOnlyList<string> before;
        await using (var first = new LivePortal(dataDirectory: folder))
        {
            before = await SigningKeyIdsAsync(first);
        }

        await using var second = new LivePortal(dataDirectory: folder);

        Assert.NotEmpty(before);
        Assert.Equal(before, await SigningKeyIdsAsync(second));
    }

    [Fact]
    public async Task Two_replicas_on_one_postgres_database_share_keys_and_users()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync(),
        };
        // Each with a data folder of its own: everything they share is in the database.
        await using var one = new LivePortal(settings);
        await using var two = new LivePortal(settings);

        var keysOne = await SigningKeyIdsAsync(one);
        var keysTwo = await SigningKeyIdsAsync(two);
        Assert.NotEmpty(keysOne);
        Assert.Equal(keysOne, keysTwo);

        await one.CreateUserAsync("pat@example.test", "Pat Postgres", PortalRole.Approver, "a postgres password");
        await using var scope = two.Services.CreateAsyncScope();
        var listed = await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync();
        Assert.Contains(listed, u => u.Email == "pat@example.test" && u.Roles.SequenceEqual(["Approver"]));
    }

    private static async Task<IReadOnlyList<string>> SigningKeyIdsAsync(LivePortal portal)
    {
        using var client = new HttpClient { BaseAddress = portal.BaseAddress };
        using var discovery = JsonDocument.Parse(await client.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative)));
        var jwksUri = new Uri(discovery.RootElement.GetProperty("jwks_uri").GetString()!);
        using var jwks = JsonDocument.Parse(await client.GetStringAsync(jwksUri));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order()];
    }
}
