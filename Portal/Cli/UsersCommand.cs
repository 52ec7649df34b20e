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

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, stdout, stderr, null);

    /// <param name="settings">Configuration on top of appsettings and environment (tests point it at their own data folder).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args[0] is not ("add" or "list" or "reset-mfa" or "disable" or "enable"))
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        var (options, error) = Parse(args[1..]);
        if (error is not null)
        {
            await stderr.WriteLineAsync($"users {args[0]}: {error}");
            await stderr.WriteLineAsync(Usage);
            return 2;
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
        switch (args[0])
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
                var result = args[0] switch
                {
                    "reset-mfa" => await admin.ResetMfaAsync(new ResetMfaCommand(who)),
                    "disable" => await admin.SetDisabledAsync(new SetUserDisabledCommand(who, Disabled: true)),
                    _ => await admin.SetDisabledAsync(new SetUserDisabledCommand(who, Disabled: false)),
                };
                await (result.Succeeded ? stdout : stderr).WriteLineAsync(result.Succeeded ? $"{args[0]}: done for {options.Email}." : $"users {args[0]}: {result.Error}");
                return result.Succeeded ? 0 : 1;
        }

        (Options Parsed, string? Error) Parse(string[] rest)
        {
            var parsed = new Options();
            for (var i = 0; i < rest.Length; i++)
            {
                var flag = rest[i];
                if (flag is not ("--email" or "--role" or "--name"))
                {
                    return (parsed, $"unknown argument '{flag}'.");
                }

                if (i + 1 >= rest.Length)
                {
                    return (parsed, $"{flag} needs a value.");
                }

                var value = rest[++i];
                switch (flag)
                {
                    case "--email":
                        parsed.Email = value.Trim();
                        break;
                    case "--name":
                        parsed.Name = value;
                        break;
                    default:
                        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            if (!RoleMapping.TryParseRole(part, out var role))
                            {
                                return (parsed, $"--role: '{part}' is not one of Requester, Approver, Admin.");
                            }

                            parsed.Roles.Add(role);
                        }

                        break;
                }
            }

            if (args[0] != "list" && !UserAdministration.IsEmail(parsed.Email))
            {
                return (parsed, parsed.Email is null ? "--email is required." : $"--email: '{parsed.Email}' is not an email address.");
            }

            if (args[0] == "add" && parsed.Roles.Count == 0)
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
