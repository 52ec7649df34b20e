using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Health;

namespace Portal.Cli;

/// <summary>
/// <c>check NAME [--kind mail|site] [--dns IP[:PORT]] [--json]</c>: runs the health checks once and exits 0 when healthy,
/// 1 on warnings, 2 on errors (64 for a bad command line).
/// </summary>
public static class CheckCommand
{
    public const int UsageError = 64;
    private const string Usage = "usage: check NAME [--kind mail|site] [--dns IP[:PORT]] [--json]";

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, stdout, stderr, null);

    /// <summary>As the command line does, with <paramref name="settings"/> layered over appsettings.json and the environment
    /// (the command line's own options still win), e.g. <c>Health:ExtraTrustedRootsFile</c> for a private CA.</summary>
    internal static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        ArgumentNullException.ThrowIfNull(args);
        return PortalCli.RunAsync(["check", .. args], stdout, stderr, settings);
    }

    internal static PortalVerb Create(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        // The name takes any number of words so that "one name at a time" and an unknown option read as before.
        var names = new Argument<string[]>("name") { Description = "The site or mail domain to check, e.g. example.com", Arity = ArgumentArity.ZeroOrMore };
        var kind = new Option<string?>("--kind") { Description = "mail or site (default: both that the name has)", HelpName = "mail|site" };
        var dns = new Option<string[]>("--dns") { Description = "Ask this resolver (IP or IP:PORT) instead of the system's; may be repeated", HelpName = "IP[:PORT]" };
        var json = new Option<bool>("--json") { Description = "The reports as JSON" };
        var command = new Command("check", "Run the health checks once; exits 0 when healthy, 1 on warnings, 2 on errors, 64 for a bad command line.")
        {
            names, kind, dns, json,
        };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(names) ?? [], parse.GetValue(kind), parse.GetValue(dns) ?? [], parse.GetValue(json), stdout, stderr, settings));
        return new PortalVerb(command, UsageError, (_, problem) => $"check: {problem} {Usage}", UnknownWord: "option");
    }

    private static async Task<int> RunAsync(
        string[] names, string? kindText, string[] dnsServers, bool json, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        if (names.FirstOrDefault(n => n.StartsWith("--", StringComparison.Ordinal)) is { } option)
        {
            await stderr.WriteLineAsync($"check: unknown option '{option}'. {Usage}");
            return UsageError;
        }

        if (names.Length > 1)
        {
            await stderr.WriteLineAsync($"check: one name at a time. {Usage}");
            return UsageError;
        }

        if (kindText is not (null or "mail" or "site"))
        {
            await stderr.WriteLineAsync("check: --kind takes 'mail' or 'site'.");
            return UsageError;
        }

        HealthCheckKind? kind = kindText is null ? null : kindText == "mail" ? HealthCheckKind.Mail : HealthCheckKind.Site;
        var name = names.FirstOrDefault();
        var dns = dnsServers.ToList();
        var problem = name is null ? "a name is required" : Core.Requests.HostNameRules.Check(name.Trim().TrimEnd('.').ToLowerInvariant());
        if (problem is not null)
        {
            await stderr.WriteLineAsync($"check: {(name is null ? problem : $"'{name}' {problem}")} {Usage}");
            return UsageError;
        }

        // Before the options are built, so the message names the value given rather than the setting it fills.
        new Infrastructure.Dns.DnsOptions { Servers = dns }.Endpoints(out var badServer);
        if (badServer is not null)
        {
            await stderr.WriteLineAsync($"check: --dns '{badServer}' is not IP or IP:PORT.");
            return UsageError;
        }

        var fromCommandLine = new Dictionary<string, string?>();
        for (var i = 0; i < dns.Count; i++)
        {
            fromCommandLine[$"Dns:Servers:{i}"] = dns[i];
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .AddInMemoryCollection(fromCommandLine)
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddPortalHealth();
        await using var provider = services.BuildServiceProvider();
        try
        {
            var reports = await provider.GetRequiredService<HealthChecker>().CheckAsync(name!, kind);
            if (json)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(reports, JsonOptions));
            }
            else
            {
                foreach (var report in reports)
                {
                    await WriteTextAsync(report, stdout);
                }
            }

            return reports.Max(r => r.ExitCode);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await stderr.WriteLineAsync($"check: {ex.Message}");
            return UsageError;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static async Task WriteTextAsync(HealthReport report, TextWriter stdout)
    {
        await stdout.WriteLineAsync($"{report.Name} ({report.Kind.ToString().ToLowerInvariant()}): {report.Worst.ToString().ToLowerInvariant()}");
        foreach (var f in report.Findings)
        {
            await stdout.WriteLineAsync($"  [{f.Severity.ToString().ToLowerInvariant()}] {f.Id}: {f.Message}{(f.Reference is null ? "" : $" ({f.Reference})")}");
            if (f.Evidence is not null)
            {
                foreach (var line in f.Evidence.Split('\n'))
                {
                    await stdout.WriteLineAsync($"      {line}");
                }
            }
        }
    }
}
