using System.CommandLine;
using System.CommandLine.Parsing;

namespace Portal.Cli;

/// <summary>
/// Command-line verbs of the portal (<c>dotnet run --project Portal -- VERB ...</c>), parsed by System.CommandLine so
/// that every verb has <c>--help</c> and a bad command line gets one clear message and the verb's own exit code.
/// Anything that does not start with a verb starts the web portal.
/// </summary>
public static class PortalCli
{
    private static readonly HashSet<string> VerbNames = new(StringComparer.Ordinal) { "healthcheck", "users", "check", "render", "backup", "restore" };

    public static bool Handles(string[] args) => args is { Length: > 0 } && VerbNames.Contains(args[0]);

    /// <summary>Arguments for the web portal: <c>--demo</c> is short for <c>--Identity:Demo=true</c>.</summary>
    public static string[] WebArguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return [.. args.Select(a => a == "--demo" ? "--Identity:Demo=true" : a)];
    }

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, stdout, stderr, null);

    /// <param name="settings">Configuration on top of appsettings and environment for the verbs that read it (tests point it at their own data).</param>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        PortalVerb[] verbs =
        [
            HealthcheckCommand.Create(stdout, stderr),
            UsersCommand.Create(stdout, stderr, settings),
            CheckCommand.Create(stdout, stderr, settings),
            RenderCommand.Create(stdout, stderr),
            .. BackupCommand.Create(stdout, stderr, settings),
        ];
        var root = new RootCommand("Command-line verbs of the Static Site and MTA-STS Portal; without a verb, the web portal starts.");
        root.TreatUnmatchedTokensAsErrors = false;
        foreach (var verb in verbs)
        {
            root.Subcommands.Add(verb.Command);
        }

        // Values such as a display name may start with '@': they are values, not response files to read.
        var parsed = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var chosen = verbs.FirstOrDefault(v => args.Length > 0 && v.Command.Name == args[0]);
        var problems = Problems(parsed, chosen?.UnknownWord ?? "argument").ToList();
        if (problems.Count > 0 && chosen is not null)
        {
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync(chosen.Describe(parsed.CommandResult.Command, problem));
            }

            await stderr.WriteLineAsync($"Run '{string.Join(' ', CommandPath(parsed.CommandResult))} --help' for its options.");
            return chosen.UsageExitCode;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>What is wrong with the command line: unknown options or stray words first, then the parser's own errors.</summary>
    private static IEnumerable<string> Problems(ParseResult parsed, string unknownWord)
    {
        foreach (var token in parsed.UnmatchedTokens)
        {
            yield return token.StartsWith('-') ? $"unknown {unknownWord} '{token}'." : $"unexpected argument '{token}'.";
        }

        foreach (var error in parsed.Errors)
        {
            // The parser reports each unmatched token too ("Unrecognized command or argument"); those are worded above.
            if (parsed.UnmatchedTokens.Any(token => error.Message.Contains($"'{token}'", StringComparison.Ordinal)))
            {
                continue;
            }

            // "--email needs a value." as the verbs have always said it, rather than the parser's wording.
            yield return error.SymbolResult is OptionResult { Tokens.Count: 0, Implicit: false } option && option.Option.Arity.MinimumNumberOfValues > 0
                ? $"{option.Option.Name} needs a value."
                : error.Message;
        }
    }

    private static Stack<string> CommandPath(CommandResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is not null; r = r.Parent as CommandResult)
        {
            names.Push(r.Command is RootCommand ? "Portal" : r.Command.Name);
        }

        return names;
    }
}

/// <summary>
/// A verb of <see cref="PortalCli"/>: its command, the exit code for a bad command line, how it words an error
/// (<c>Describe(command, problem)</c>) and whether it calls an unknown <c>--x</c> an option or an argument.
/// </summary>
internal sealed record PortalVerb(Command Command, int UsageExitCode, Func<Command, string, string> Describe, string UnknownWord = "argument");
