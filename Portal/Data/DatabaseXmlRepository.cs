using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Portal.Infrastructure.Persistence;

namespace Portal.Data;

/// <summary>
/// The Data Protection key ring in the portal's database (table <c>data_protection_keys</c>), so that replicas on one
/// PostgreSQL database accept each other's cookies, antiforgery tokens and protected secrets, and keys survive a
/// restart on a fresh container. Earlier versions kept the keys as files in <c>&lt;data folder&gt;/keys</c>: the
/// first time the database holds no key, those files are copied in, so an upgraded single-instance install keeps its
/// keys (and with them its sessions and the built-in provider's stored secrets). The files are left where they are.
/// </summary>
public sealed partial class DatabaseXmlRepository(IDbContextFactory<PortalDbContext> factory, string? legacyFolder, ILogger<DatabaseXmlRepository> logger) : IXmlRepository
{
    private readonly Lock _importGate = new();
    private bool _importChecked;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        ImportLegacyKeysOnce();
        using var db = factory.CreateDbContext();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable().Select(x => XElement.Parse(x))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        ImportLegacyKeysOnce();
        var xml = element.ToString(SaveOptions.DisableFormatting);
        using var db = factory.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = xml });
        try
        {
            db.SaveChanges();
        }
        catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
        {
            // The name is taken (a key revoked twice): the element is what matters, so it is kept under a unique name.
            db.ChangeTracker.Clear();
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = $"{friendlyName[..Math.Min(friendlyName.Length, 160)]}-{Guid.NewGuid():N}", Xml = xml });
            db.SaveChanges();
        }
    }

    /// <summary>Copies the key files of the data folder into an empty key table, once per process.</summary>
    private void ImportLegacyKeysOnce()
    {
        lock (_importGate)
        {
            if (_importChecked)
            {
                return;
            }

            ImportLegacyKeys();
            _importChecked = true;
        }
    }

    private void ImportLegacyKeys()
    {
        if (legacyFolder is null || !Directory.Exists(legacyFolder))
        {
            return;
        }

        using var db = factory.CreateDbContext();
        if (db.DataProtectionKeys.Any())
        {
            return;
        }

        var files = Directory.GetFiles(legacyFolder, "*.xml").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            try
            {
                db.DataProtectionKeys.Add(new DataProtectionKey
                {
                    FriendlyName = Path.GetFileNameWithoutExtension(file),
                    Xml = XElement.Load(file).ToString(SaveOptions.DisableFormatting),
                });
            }
            catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
            {
                LogUnreadableKeyFile(logger, file, ex.Message);
            }
        }

        var imported = db.ChangeTracker.Entries().Count();
        if (imported > 0)
        {
            try
            {
                db.SaveChanges();
                LogImported(logger, imported, legacyFolder);
            }
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex))
            {
                // Another replica sharing this folder imported the same files first.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Data Protection key file {File} could not be read and was not imported: {Problem}")]
    private static partial void LogUnreadableKeyFile(ILogger logger, string file, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Count} Data Protection key files from {Folder} into the database; the folder is no longer read")]
    private static partial void LogImported(ILogger logger, int count, string folder);
}
