using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Infrastructure.Persistence;
using Portal.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// Replicas of an earlier version shared one key folder (the README said so). Upgraded together, they all find the
/// key table empty and import the same files at once: each key ends up in the database exactly once, and every
/// replica reads the whole ring.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedKeyFolderImportTests(PostgresServer postgres)
{
    [Fact]
    public async Task Replicas_importing_one_shared_folder_at_once_store_each_key_once()
    {
        using var folder = new TemporaryFolder("portal-shared-keys-");
        using (var legacy = LegacyKeyFolderImportTests.LegacyProvider(folder.Path))
        {
            var manager = legacy.GetRequiredService<IKeyManager>();
            for (var i = 0; i < 3; i++)
            {
                manager.CreateNewKey(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
            }
        }

        var files = Directory.GetFiles(folder.Path, "*.xml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
        var db = await TestDatabases.PostgresAsync(postgres);
        var replicas = Enumerable.Range(0, 4).Select(_ => new DatabaseXmlRepository(db, folder.Path, NullLogger<DatabaseXmlRepository>.Instance)).ToList();
        using var start = new Barrier(replicas.Count);

        var rings = await Task.WhenAll(replicas.Select(r => Task.Run(() =>
        {
            start.SignalAndWait();
            return r.GetAllElements();
        })));

        await using var check = await db.CreateDbContextAsync();
        Assert.Equal(3, files.Count);
        Assert.Equal(files, await check.DataProtectionKeys.OrderBy(k => k.FriendlyName).Select(k => k.FriendlyName).ToListAsync());
        var ids = files.Select(f => f["key-".Length..]).Order(StringComparer.Ordinal).ToList();
        Assert.All(rings, ring => Assert.Equal(ids, ring.Select(e => (string)e.Attribute("id")!).Order(StringComparer.Ordinal)));
    }
}
