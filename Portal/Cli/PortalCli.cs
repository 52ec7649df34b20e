namespace Portal.Cli;

/// <summary>
/// Command-line verbs of the portal (<c>dotnet run --project Portal -- VERB ...</c>). Anything else starts the web portal.
/// </summary>
public static class PortalCli
{
    private static readonly Dictionary<string, Func<string[], TextWriter, TextWriter, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["healthcheck"] = HealthcheckCommand.RunAsync,
        ["users"] = UsersCommand.RunAsync,
        ["check"] = CheckCommand.RunAsync,
        ["render"] = RenderCommand.RunAsync,
    };

    public static bool Handles(string[] args) => args.Length > 0 && Verbs.ContainsKey(args[0]);

    /// <summary>Arguments for the web portal: <c>--demo</c> is short for <c>--Identity:Demo=true</c>.</summary>
    public static string[] WebArguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return [.. args.Select(a => a == "--demo" ? "--Identity:Demo=true" : a)];
    }

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Verbs[args[0]](args[1..], stdout, stderr);
    }
}
