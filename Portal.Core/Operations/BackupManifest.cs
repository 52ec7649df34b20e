using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Core.Operations;

/// <summary>
/// What a portal backup archive holds, written as <c>manifest.json</c> beside the database: the portal version that
/// took it, the database provider, the newest migration of the portal's tables and of the identity tables, when it
/// was taken, the archive entry of the database and how many Data Protection keys the database holds.
/// </summary>
public sealed record BackupManifest(
    int Format,
    string PortalVersion,
    string Provider,
    string Migration,
    string IdentityMigration,
    DateTimeOffset CreatedAt,
    string DatabaseEntry,
    int DataProtectionKeys)
{
    public const int CurrentFormat = 1;

    public const string EntryName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The manifest in <paramref name="json"/>, or a sentence saying why it is not one.</summary>
    public static (BackupManifest? Manifest, string? Problem) Parse(string json)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<BackupManifest>(json, Json);
            if (manifest is null || string.IsNullOrWhiteSpace(manifest.Provider) || string.IsNullOrWhiteSpace(manifest.DatabaseEntry) || manifest.Format <= 0)
            {
                return (null, $"its {EntryName} does not describe a portal backup (format, provider and database entry are required).");
            }

            return (manifest, null);
        }
        catch (JsonException ex)
        {
            return (null, $"its {EntryName} is not valid JSON ({ex.Message}).");
        }
    }

    /// <summary>
    /// Why this backup cannot be restored by a portal configured for <paramref name="provider"/> whose build knows
    /// <paramref name="migrations"/> and <paramref name="identityMigrations"/>, or null when it can: a newer format,
    /// another provider, or a database migrated by a newer portal (this one would not know its tables).
    /// </summary>
    public string? RefusalToRestore(string provider, IReadOnlyCollection<string> migrations, IReadOnlyCollection<string> identityMigrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(identityMigrations);
        if (Format > CurrentFormat)
        {
            return $"the backup has format {Format}, newer than this portal reads ({CurrentFormat}); restore it with portal {PortalVersion} or later.";
        }

        if (!string.Equals(Provider, provider, StringComparison.OrdinalIgnoreCase))
        {
            return $"the backup is of a {Provider} database, but this portal is configured for {provider} (Database:Provider).";
        }

        if (Migration.Length > 0 && !migrations.Contains(Migration))
        {
            return $"the backup's database was migrated to {Migration} by portal {PortalVersion}, which this portal does not know; restore it with that version or later.";
        }

        if (IdentityMigration.Length > 0 && !identityMigrations.Contains(IdentityMigration))
        {
            return $"the backup's identity tables were migrated to {IdentityMigration} by portal {PortalVersion}, which this portal does not know; restore it with that version or later.";
        }

        return null;
    }
}
