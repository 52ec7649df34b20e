using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Core.Operations;
using Portal.Data;
using Portal.Identity.BuiltIn;

namespace Portal.Backups;

/// <summary>Where the PostgreSQL tools are, when they are not found on PATH.</summary>
public sealed record PostgresTools(string? PgDump, string? PgRestore);

/// <summary>The outcome of a backup or restore: a sentence for the operator, and whether it worked.</summary>
public sealed record BackupResult(bool Succeeded, string Message);

/// <summary>
/// Backs up the portal's database into one archive and restores it into an empty data folder or empty database.
/// The database holds everything the portal keeps: requests, revisions, audit trail, content manifests, deployments,
/// health history, the built-in provider's users and sessions, and the Data Protection key ring (table
/// <c>data_protection_keys</c>), so one consistent copy of it is a consistent copy of the portal. SQLite is copied
/// with its online backup API (a snapshot while the portal keeps writing); PostgreSQL with <c>pg_dump</c> in custom
/// format (one snapshot transaction) and restored with <c>pg_restore</c>.
/// </summary>
public sealed class PortalBackup(DatabaseOptions database, string contentRoot, PostgresTools tools, TimeProvider clock)
{
    private const string SqliteEntry = "portal.db";
    private const string PostgresEntry = "portal.pgdump";
    private const string MigrationsHistory = "__EFMigrationsHistory";
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public async Task<BackupResult> BackupAsync(string archive, CancellationToken ct = default)
    {
        var target = Path.GetFullPath(archive);
        if (File.Exists(target) || Directory.Exists(target))
        {
            return new(false, $"{target} exists already: name a new file, so no earlier backup is overwritten.");
        }

        if (Path.GetDirectoryName(target) is { } parent && !Directory.Exists(parent))
        {
            return new(false, $"the folder {parent} does not exist.");
        }

        var work = Directory.CreateTempSubdirectory("portal-backup-");
        try
        {
            var taken = database.Provider == DatabaseProvider.Postgres
                ? await DumpPostgresAsync(work.FullName, ct)
                : CopySqlite(work.FullName);
            if (taken.Problem is not null)
            {
                return new(false, taken.Problem);
            }

            var manifest = taken.Manifest!;

            // Written beside the target and moved into place, so a failed backup never leaves a half archive under its name.
            var partial = target + ".partial";
            await using (var stream = new FileStream(partial, NewPrivateFile()))
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                var entry = zip.CreateEntry(BackupManifest.EntryName);
                await using (var writer = new StreamWriter(await entry.OpenAsync(ct)))
                {
                    await writer.WriteAsync(manifest.ToJson());
                }

                await zip.CreateEntryFromFileAsync(Path.Combine(work.FullName, manifest.DatabaseEntry), manifest.DatabaseEntry, CompressionLevel.Optimal, ct);
            }

            File.Move(partial, target);
            return new(true, $"Backed up the portal's {manifest.Provider} database (migration {manifest.Migration}, {manifest.DataProtectionKeys} Data Protection keys) to {target}.");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    public async Task<BackupResult> RestoreAsync(string archive, CancellationToken ct = default)
    {
        var source = Path.GetFullPath(archive);
        if (!File.Exists(source))
        {
            return new(false, $"{source} does not exist.");
        }

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(File.OpenRead(source), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            return new(false, $"{source} is not a portal backup (not a zip archive).");
        }

        using (zip)
        {
            if (zip.GetEntry(BackupManifest.EntryName) is not { } manifestEntry)
            {
                return new(false, $"{source} is not a portal backup: it has no {BackupManifest.EntryName}.");
            }

            string json;
            using (var reader = new StreamReader(await manifestEntry.OpenAsync(ct)))
            {
                json = await reader.ReadToEndAsync(ct);
            }

            var (manifest, problem) = BackupManifest.Parse(json);
            if (manifest is null)
            {
                return new(false, $"{source} is not a portal backup: {problem}");
            }

            var refusal = manifest.RefusalToRestore(database.Provider.ToString(), KnownMigrations(portal: true), KnownMigrations(portal: false));
            if (refusal is not null)
            {
                return new(false, $"Not restored: {refusal}");
            }

            if (zip.GetEntry(manifest.DatabaseEntry) is not { } dataEntry)
            {
                return new(false, $"{source} is not a complete portal backup: its manifest names {manifest.DatabaseEntry}, which it does not hold.");
            }

            var restored = database.Provider == DatabaseProvider.Postgres
                ? await RestorePostgresAsync(dataEntry, ct)
                : await RestoreSqliteAsync(dataEntry, ct);
            return restored ?? new(true,
                $"Restored the {manifest.Provider} database backed up {manifest.CreatedAt:u} by portal {manifest.PortalVersion} (migration {manifest.Migration}, {manifest.DataProtectionKeys} Data Protection keys). Start the portal on it.");
        }
    }

    /// <summary>The SQLite file the settings name: the connection string's, or <c>portal.db</c> in the data folder.</summary>
    private string SqliteFile() => string.IsNullOrWhiteSpace(database.ConnectionString)
        ? Path.Combine(Path.GetFullPath(database.DataDirectory, contentRoot), SqliteEntry)
        : Path.GetFullPath(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource, contentRoot);

    private (BackupManifest? Manifest, string? Problem) CopySqlite(string work)
    {
        var file = SqliteFile();
        if (!File.Exists(file))
        {
            return (null, $"there is no portal database at {file} (Database:DataDirectory).");
        }

        var copy = Path.Combine(work, SqliteEntry);

        // SQLite's online backup API copies a consistent snapshot page by page while the portal goes on writing (WAL).
        using (var live = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString()))
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
        {
            live.Open();
            destination.Open();
            live.BackupDatabase(destination);
        }

        using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        check.Open();
        var integrity = Scalar(check, "PRAGMA integrity_check;");
        if (integrity != "ok")
        {
            return (null, $"the copy of {file} failed SQLite's integrity check: {integrity}");
        }

        return (Manifest(
            SqliteEntry,
            Scalar(check, $"SELECT MAX(\"MigrationId\") FROM \"{MigrationsHistory}\";"),
            Scalar(check, $"SELECT MAX(\"MigrationId\") FROM \"{PortalIdentityDbContext.HistoryTable}\";"),
            int.Parse(Scalar(check, "SELECT COUNT(*) FROM data_protection_keys;") ?? "0", System.Globalization.CultureInfo.InvariantCulture)), null);
    }

    private async Task<BackupResult?> RestoreSqliteAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        var file = SqliteFile();
        var folder = Path.GetDirectoryName(file)!;
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Take(3).ToList() is { Count: > 0 } present)
        {
            return new(false,
                $"Not restored: the data folder {folder} is not empty (it holds {string.Join(", ", present.Select(Path.GetFileName))}). "
                + "Restore into an empty folder, so nothing there is overwritten, and point Database:DataDirectory at it.");
        }

        PrivateSqliteFile.CreateFolder(folder);
        await using (var target = new FileStream(file, NewPrivateFile()))
        await using (var data = await entry.OpenAsync(ct))
        {
            await data.CopyToAsync(target, ct);
        }

        // The portal runs its file in WAL mode (readers do not wait for writers); the backup copy is a plain file.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        var integrity = Scalar(connection, "PRAGMA integrity_check;");
        Scalar(connection, "PRAGMA journal_mode = 'wal';");
        return integrity == "ok" ? null : new(false, $"The restored file {file} failed SQLite's integrity check: {integrity}");
    }

    private async Task<(BackupManifest? Manifest, string? Problem)> DumpPostgresAsync(string work, CancellationToken ct)
    {
        if (Tool("pg_dump", tools.PgDump) is not { } pgDump)
        {
            return (null, ToolMissing("pg_dump", "--pg-dump"));
        }

        string? migration, identityMigration;
        int keys;
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync(ct);
            migration = await ScalarAsync(connection, $"SELECT MAX(\"MigrationId\") FROM \"{MigrationsHistory}\"", ct);
            identityMigration = await ScalarAsync(connection, $"SELECT MAX(\"MigrationId\") FROM \"{PortalIdentityDbContext.HistoryTable}\"", ct);
            keys = int.Parse(await ScalarAsync(connection, "SELECT COUNT(*) FROM data_protection_keys", ct) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        }

        // pg_dump reads the whole database in one snapshot transaction: consistent while the portal writes.
        var dump = Path.Combine(work, PostgresEntry);
        var (exit, errors) = await RunAsync(pgDump, ["--format=custom", "--no-owner", "--no-privileges", "--file", dump], ct);
        return exit == 0
            ? (Manifest(PostgresEntry, migration, identityMigration, keys), null)
            : (null, $"pg_dump failed (exit code {exit}): {errors.Trim()}");
    }

    private async Task<BackupResult?> RestorePostgresAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        if (Tool("pg_restore", tools.PgRestore) is not { } pgRestore)
        {
            return new(false, ToolMissing("pg_restore", "--pg-restore"));
        }

        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync(ct);
            var tables = await ScalarAsync(connection, "SELECT string_agg(schemaname || '.' || tablename, ', ' ORDER BY tablename) FROM (SELECT schemaname, tablename FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') LIMIT 3) t", ct);
            if (!string.IsNullOrEmpty(tables))
            {
                return new(false,
                    $"Not restored: the database {connection.Database} is not empty (it has tables such as {tables}). "
                    + "Restore into an empty database, so nothing there is overwritten, and point Database:ConnectionString at it.");
            }
        }

        var work = Directory.CreateTempSubdirectory("portal-restore-");
        try
        {
            var dump = Path.Combine(work.FullName, PostgresEntry);
            await using (var target = File.Create(dump))
            await using (var data = await entry.OpenAsync(ct))
            {
                await data.CopyToAsync(target, ct);
            }

            var (exit, errors) = await RunAsync(pgRestore, ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", new NpgsqlConnectionStringBuilder(database.ConnectionString).Database ?? "", dump], ct);
            return exit == 0 ? null : new(false, $"pg_restore failed (exit code {exit}), nothing was restored: {errors.Trim()}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private BackupManifest Manifest(string entry, string? migration, string? identityMigration, int keys) => new(
        BackupManifest.CurrentFormat,
        PortalVersion(),
        database.Provider.ToString(),
        migration ?? "",
        identityMigration ?? "",
        clock.GetUtcNow(),
        entry,
        keys);

    private static string PortalVersion() =>
        typeof(PortalBackup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(PortalBackup).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The migrations this build carries for the configured provider: of the portal's tables, or of the identity tables.</summary>
    private IReadOnlyCollection<string> KnownMigrations(bool portal)
    {
        var postgres = database.Provider == DatabaseProvider.Postgres;
        using DbContext context = (portal, postgres) switch
        {
            (true, true) => new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql("Host=localhost").Options),
            (true, false) => new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=:memory:").Options),
            (false, true) => new PostgresIdentityDbContext(new DbContextOptionsBuilder<PostgresIdentityDbContext>().UseNpgsql("Host=localhost").UseOpenIddict().Options),
            (false, false) => new SqliteIdentityDbContext(new DbContextOptionsBuilder<SqliteIdentityDbContext>().UseSqlite("Data Source=:memory:").UseOpenIddict().Options),
        };
        return [.. context.Database.GetMigrations()];
    }

    /// <summary>A new file readable by the portal's account only: it holds sessions' keys and everyone's requests.</summary>
    private static FileStreamOptions NewPrivateFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Private;
        }

        return options;
    }

    private static string ToolMissing(string name, string option) =>
        $"{name} was not found on PATH. Install the PostgreSQL client tools (Debian: postgresql-client, of the server's major version or newer) or name the program with {option} PATH.";

    /// <summary>The program named by option, or the first <paramref name="name"/> on PATH.</summary>
    private static string? Tool(string name, string? named)
    {
        if (!string.IsNullOrWhiteSpace(named))
        {
            return File.Exists(named) ? Path.GetFullPath(named) : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, OperatingSystem.IsWindows() ? name + ".exe" : name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Runs a PostgreSQL tool with the connection string's server, database and credentials in its environment (never on its command line).</summary>
    private async Task<(int Exit, string Errors)> RunAsync(string program, IEnumerable<string> arguments, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        SetIf("PGHOST", connection.Host);
        SetIf("PGPORT", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        SetIf("PGDATABASE", connection.Database);
        SetIf("PGUSER", connection.Username);
        SetIf("PGPASSWORD", connection.Password);
        SetIf("PGSSLMODE", connection.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => null,
        });
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(ct);
        var output = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await errors + await output);

        void SetIf(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                start.Environment[name] = value;
            }
        }
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() switch
        {
            null or DBNull => null,
            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct) switch
        {
            null or DBNull => null,
            var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
