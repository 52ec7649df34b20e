using Portal.Core.Operations;

namespace Portal.Tests.Operations;

/// <summary>
/// A backup's manifest survives its JSON; a restore is refused, with the reason, for another provider, a newer format
/// or a database migrated by a portal newer than the one restoring it; a file that is no manifest says so.
/// </summary>
public sealed class BackupManifestTests
{
    private static readonly BackupManifest Taken = new(
        BackupManifest.CurrentFormat, "1.4.0", "Sqlite", "20261204184419_RequestListSortIndexes", "20261130100000_Identity",
        new DateTimeOffset(2026, 12, 4, 3, 0, 0, TimeSpan.Zero), "portal.db", 3);

    private static readonly string[] Migrations = ["20261128133640_Initial", "20261204184419_RequestListSortIndexes"];
    private static readonly string[] IdentityMigrations = ["20261130100000_Identity"];

    [Fact]
    public void The_manifest_reads_back_as_written()
    {
        var (manifest, problem) = BackupManifest.Parse(Taken.ToJson());

        Assert.Null(problem);
        Assert.Equal(Taken, manifest);
    }

    [Fact]
    public void A_backup_of_the_same_provider_and_a_known_migration_may_be_restored()
    {
        Assert.Null(Taken.RefusalToRestore("sqlite", Migrations, IdentityMigrations));
    }

    [Fact]
    public void A_backup_of_another_provider_is_refused_naming_both()
    {
        Assert.Equal(
            "the backup is of a Sqlite database, but this portal is configured for Postgres (Database:Provider).",
            Taken.RefusalToRestore("Postgres", Migrations, IdentityMigrations));
    }

    [Fact]
    public void A_database_migrated_by_a_newer_portal_is_refused_naming_its_version()
    {
        Assert.Equal(
            "the backup's database was migrated to 20261204184419_RequestListSortIndexes by portal 1.4.0, which this portal does not know; restore it with that version or later.",
            Taken.RefusalToRestore("Sqlite", ["20261128133640_Initial"], IdentityMigrations));
        Assert.Contains("identity tables", Taken.RefusalToRestore("Sqlite", Migrations, []), StringComparison.Ordinal);
    }

    [Fact]
    public void A_newer_format_is_refused()
    {
        Assert.StartsWith("the backup has format 2", (Taken with { Format = 2 }).RefusalToRestore("Sqlite", Migrations, IdentityMigrations), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "its manifest.json does not describe a portal backup (format, provider and database entry are required).")]
    [InlineData("not json", "its manifest.json is not valid JSON")]
    public void A_file_that_is_no_manifest_says_why(string json, string expected)
    {
        var (manifest, problem) = BackupManifest.Parse(json);

        Assert.Null(manifest);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }
}
