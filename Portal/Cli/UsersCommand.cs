using System.CommandLine;
using Portal.Identity.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Identity;
using Portal.Infrastructure.Persistence;
using Portal.Core.Workflow;
using Portal.Data;
using Portal.Hosting;
using Portal.Identity;
using Portal.Identity.BuiltIn;

namespace Portal.Cli;

/// <summary>
/// <c>users add --email E --role R [--role R2] [--name N]</c> prints a one-time enrolment link;
/// <c>users list</c>, <c>users reset-mfa --email E</c>, <c>users disable --email E</c>, <c>users enable --email E</c>.
/// Users of the built-in identity provider, in the database the portal is configured with.
/// </summary>
public static class UsersCommand
{
    public const string Usage = """
        usage: users add --email EMAIL --role Requester|Approver|Admin [--role ...] [--name "Display Name"]
               users list
               users reset-mfa --email EMAIL
               users disable --email EMAIL
               users enable --email EMAIL
        Settings (database, Authentication:PublicOrigin for the link) come from appsettings.json and environment variables.
        """;

    public const int UsageError = 2;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, stdout, stderr, null);

    /// <param name="settings">Configuration on top of appsettings and environment (tests point it at their own data folder).</param>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        ArgumentNullException.ThrowIfNull(args);
        return PortalCli.RunAsync(["users", .. args], stdout, stderr, settings);
    }

    internal static PortalVerb Create(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        var users = new Command("users", "Users of the built-in identity provider: add (prints a one-time enrolment link), list, reset-mfa, disable, enable.");
        users.SetAction(async (_, _) =>
        {
            await stderr.WriteLineAsync(Usage);
            return UsageError;
        });
        foreach (var (verb, description) in Verbs)
        {
            var email = new Option<string?>("--email") { Description = "The user's email address", HelpName = "EMAIL" };
            var role = new Option<string[]>("--role") { Description = "Requester, Approver or Admin; repeat it or separate with commas", HelpName = "ROLE" };
            var name = new Option<string?>("--name") { Description = "The name the portal shows", HelpName = "\"Display Name\"" };
            var command = new Command(verb, description);
            if (verb != "list")
            {
                command.Options.Add(email);
            }

            if (verb == "add")
            {
                command.Options.Add(role);
                command.Options.Add(name);
            }

            command.SetAction((parse, ct) => RunAsync(
                verb, parse.GetValue(email), parse.GetValue(role) ?? [], parse.GetValue(name), stdout, stderr, settings));
            users.Subcommands.Add(command);
        }

        return new PortalVerb(users, UsageError, (command, problem) => $"users{(command.Name == "users" ? "" : " " + command.Name)}: {problem}\n{Usage}");
    }

    private static readonly (string Verb, string Description)[] Verbs =
    [
        ("add", "Add a user with one or more roles and print their one-time enrolment link."),
        ("list", "Every user: email, roles, state."),
        ("reset-mfa", "Remove the user's authenticator; their next sign-in enrols a new one."),
        ("disable", "Stop the user signing in and end their sessions."),
        ("enable", "Let a disabled user sign in again."),
    ];

    private static async Task<int> RunAsync(
        string verb, string? email, string[] roles, string? name, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        var (options, error) = Parse();
        if (error is not null)
        {
            await stderr.WriteLineAsync($"users {verb}: {error}");
            await stderr.WriteLineAsync(Usage);
            return UsageError;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddPortalServices();
        await using var app = builder.Build();
        if (UserAdministration.Unavailable(app.Services.GetRequiredService<IOptions<PortalAuthenticationOptions>>().Value) is { } unavailable)
        {
            await stderr.WriteLineAsync($"users: {unavailable}");
            return 1;
        }

        // The portal's tables hold the Data Protection keys that enrolment links are protected with.
        await DatabaseMigrator.MigrateAsync(
            app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value,
            app.Services.GetRequiredService<ILogger<DatabaseMigrator>>(), CancellationToken.None);
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        await IdentityDatabaseMigrator.MigrateAsync(scopes, CancellationToken.None);
        await using var scope = scopes.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        switch (verb)
        {
            case "add":
                var added = await admin.InviteAsync(new InviteUserCommand(options.Email, options.Name, options.Roles, PortalOrigin.ForLinks(app.Configuration)));
                if (!added.Succeeded)
                {
                    await stderr.WriteLineAsync($"users add: {added.Error}");
                    return 1;
                }

                await stdout.WriteLineAsync($"Added {added.User!.Email} ({string.Join(", ", options.Roles)}). One-time enrolment link, valid for {added.Invitation!.ValidFor}:");
                await stdout.WriteLineAsync(added.Invitation.Link.ToString());
                await stdout.WriteLineAsync("Opening it sets a password, then an authenticator app (TOTP) for every later sign-in.");
                return 0;
            case "list":
                foreach (var user in await admin.ListAsync())
                {
                    await stdout.WriteLineAsync($"{user.Email}\t{string.Join(",", user.Roles)}\t{user.StateName}");
                }

                return 0;
            default:
                var who = UserKey.ByEmail(options.Email!);
                var result = verb switch
                {
                    "reset-mfa" => await admin.ResetMfaAsync(new ResetMfaCommand(who)),
                    "disable" => await admin.SetDisabledAsync(new SetUserDisabledCommand(who, Disabled: true)),
                    _ => await admin.SetDisabledAsync(new SetUserDisabledCommand(who, Disabled: false)),
                };
                await (result.Succeeded ? stdout : stderr).WriteLineAsync(result.Succeeded ? $"{verb}: done for {options.Email}." : $"users {verb}: {result.Error}");
                return result.Succeeded ? 0 : 1;
        }

        (Options Parsed, string? Error) Parse()
        {
            var parsed = new Options { Email = email?.Trim(), Name = name };
            foreach (var part in roles.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (!RoleMapping.TryParseRole(part, out var role))
                {
                    return (parsed, $"--role: '{part}' is not one of Requester, Approver, Admin.");
                }

                parsed.Roles.Add(role);
            }

            if (verb != "list" && !UserAdministration.IsEmail(parsed.Email))
            {
                return (parsed, parsed.Email is null ? "--email is required." : $"--email: '{parsed.Email}' is not an email address.");
            }

            if (verb == "add" && parsed.Roles.Count == 0)
            {
                return (parsed, "--role is required (Requester, Approver or Admin).");
            }

            return (parsed, null);
        }
    }

    private sealed class Options
    {
        public string? Email { get; set; }

        public string? Name { get; set; }

        public HashSet<PortalRole> Roles { get; } = [];
    }
}
