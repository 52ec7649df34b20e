using System.CommandLine;
using Portal.Backups;
using Portal.Data;

namespace Portal.Cli;

/// <summary>
/// <c>backup FILE [--pg-dump PATH]</c> writes one archive of the portal's database (with its Data Protection keys)
/// and a manifest; <c>restore FILE [--pg-restore PATH]</c> puts it into an empty data folder or empty database.
/// The database is the one the portal is configured with (appsettings.json, environment variables).
/// </summary>
public static class BackupCommand
{
    public const int UsageError = 2;

    /// <param name="settings">Configuration on top of appsettings and environment (tests point it at their own data folder).</param>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings) =>
        PortalCli.RunAsync(args, stdout, stderr, settings);

    internal static IEnumerable<PortalVerb> Create(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        var backupFile = new Argument<string>("file") { Description = "The archive to write (a new file)" };
        var pgDump = new Option<string?>("--pg-dump") { Description = "pg_dump to run for a PostgreSQL database (default: the one on PATH)", HelpName = "PATH" };
        var backup = new Command("backup", "Write a consistent backup of the portal's database, its Data Protection keys and a manifest into one archive; safe while the portal runs.")
        {
            backupFile, pgDump,
        };
        backup.SetAction((parse, ct) => RunAsync("backup", settings, stdout, stderr, (b, c) => b.BackupAsync(parse.GetValue(backupFile)!, c), new PostgresTools(parse.GetValue(pgDump), null), ct));

        var restoreFile = new Argument<string>("file") { Description = "An archive written by backup" };
        var pgRestore = new Option<string?>("--pg-restore") { Description = "pg_restore to run for a PostgreSQL database (default: the one on PATH)", HelpName = "PATH" };
        var restore = new Command("restore", "Restore a backup into an empty data folder (SQLite) or an empty database (PostgreSQL); refuses anything else.")
        {
            restoreFile, pgRestore,
        };
        restore.SetAction((parse, ct) => RunAsync("restore", settings, stdout, stderr, (b, c) => b.RestoreAsync(parse.GetValue(restoreFile)!, c), new PostgresTools(null, parse.GetValue(pgRestore)), ct));

        yield return new PortalVerb(backup, UsageError, (_, problem) => $"backup: {problem}", "option");
        yield return new PortalVerb(restore, UsageError, (_, problem) => $"restore: {problem}", "option");
    }

    private static async Task<int> RunAsync(
        string verb, IReadOnlyDictionary<string, string?>? settings, TextWriter stdout, TextWriter stderr,
        Func<PortalBackup, CancellationToken, Task<BackupResult>> action, PostgresTools tools, CancellationToken ct)
    {
        // Only the settings: no services start, nothing migrates (a backup only reads; a restore wants the target untouched).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var invalid = database.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(database)).FirstOrDefault();
        if (invalid is not null)
        {
            await stderr.WriteLineAsync($"{verb}: {invalid.ErrorMessage}");
            return 1;
        }

        var result = await action(new PortalBackup(database, builder.Environment.ContentRootPath, tools, TimeProvider.System), ct);
        await (result.Succeeded ? stdout : stderr).WriteLineAsync(result.Succeeded ? result.Message : $"{verb}: {result.Message}");
        return result.Succeeded ? 0 : 1;
    }
}
