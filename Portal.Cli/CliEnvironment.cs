namespace Portal.Cli;

/// <summary>
/// What the command line reads from outside: environment variables, the folder it keeps its sign-in in, the console,
/// the clock and (for tests) the HTTP handler that reaches the portal.
/// </summary>
public sealed record CliEnvironment(
    Func<string, string?> Variable,
    TextWriter Out,
    TextWriter Error,
    TimeProvider Clock,
    Func<HttpMessageHandler>? Handler = null)
{
    public const string UrlVariable = "PORTAL_URL";
    public const string ClientIdVariable = "PORTAL_CLIENT_ID";
    public const string ClientSecretVariable = "PORTAL_CLIENT_SECRET";
    public const string ConfigVariable = "PORTAL_CLI_CONFIG";

    public static CliEnvironment FromProcess() => new(Environment.GetEnvironmentVariable, Console.Out, Console.Error, TimeProvider.System);

    /// <summary>Where the sign-in is kept: <c>PORTAL_CLI_CONFIG</c>, else <c>$XDG_CONFIG_HOME/portal-cli</c>, else <c>~/.config/portal-cli</c>.</summary>
    public string ConfigDirectory =>
        Variable(ConfigVariable) is { Length: > 0 } configured ? configured
        : Variable("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "portal-cli")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "portal-cli");
}
