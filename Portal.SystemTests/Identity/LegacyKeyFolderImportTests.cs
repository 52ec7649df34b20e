using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// Earlier versions kept the Data Protection keys as files in <c>&lt;data folder&gt;/keys</c>. An upgraded install
/// whose database has no key yet imports those files on first use and goes on protecting with the same key, so what it
/// protected before the upgrade (sessions, the built-in provider's stored secrets) stays readable. Once the database
/// has keys, the folder is not read again.
/// </summary>
public sealed class LegacyKeyFolderImportTests
{
    private const string Purpose = "Portal.Tests.Upgrade";

    [Fact]
    public async Task An_upgraded_install_imports_its_key_files_and_keeps_protecting_with_the_old_key()
    {
        using var folder = new TemporaryFolder("portal-upgrade-");
        var keys = Path.Combine(folder.Path, "keys");
        using var before = LegacyProvider(keys);
        var madeBefore = before.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("protected before the upgrade");
        var files = Directory.GetFiles(keys, "*.xml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
        await File.WriteAllTextAsync(Path.Combine(keys, "half-written.xml"), "<key id=");

        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Database:DataDirectory"] = folder.Path });
        var protector = portal.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
        var madeAfter = protector.Protect("protected after the upgrade");

        Assert.Equal("protected before the upgrade", protector.Unprotect(madeBefore));
        Assert.Single(files);
        Assert.Equal(files, await KeyNamesAsync(portal));

        // The portal made no key of its own: the old file-based key ring reads what the portal protects now.
        Assert.Equal("protected after the upgrade", before.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(madeAfter));
        Assert.True(File.Exists(Path.Combine(keys, files[0] + ".xml")));
    }

    [Fact]
    public async Task Key_files_are_not_imported_into_a_database_that_already_has_keys()
    {
        using var folder = new TemporaryFolder("portal-upgrade-");
        var settings = new Dictionary<string, string?> { ["Database:DataDirectory"] = folder.Path };
        List<string> databaseKeys;
        await using (var first = new PortalFactory(settings))
        {
            _ = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("made by the database key");
            databaseKeys = await KeyNamesAsync(first);
        }

        using var stray = LegacyProvider(Path.Combine(folder.Path, "keys"));
        var strayPayload = stray.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("made by a stray key file");

        await using var second = new PortalFactory(settings);
        var protector = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

        Assert.Single(databaseKeys);
        Assert.Equal(databaseKeys, await KeyNamesAsync(second));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect(strayPayload));
    }

    /// <summary>Data Protection as earlier versions of the portal set it up: application name Portal, keys as files.</summary>
    internal static ServiceProvider LegacyProvider(string keysFolder)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName("Portal").PersistKeysToFileSystem(new DirectoryInfo(keysFolder));
        return services.BuildServiceProvider();
    }

    private static async Task<List<string>> KeyNamesAsync(PortalFactory portal)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.DataProtectionKeys.OrderBy(k => k.FriendlyName).Select(k => k.FriendlyName).ToListAsync();
    }
}
