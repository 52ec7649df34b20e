namespace Portal.Cli;

/// <summary>
/// Command-line verbs of the portal (<c>dotnet run --project Portal -- VERB ...</c>). Anything else starts the web portal.
/// </summary>
public static class PortalCli
{
    private static readonly Dictionary<string, Func<string[], TextWriter, TextWriter, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["healthcheck"] = HealthcheckCommand.RunAsync,
    };

    public static bool Handles(string[] args) => args.Length > 0 && Verbs.ContainsKey(args[0]);

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Verbs[args[0]](args[1..], stdout, stderr);
    }
}
