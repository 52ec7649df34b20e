namespace Portal.Cli;

/// <summary>The entry point (named so it never clashes with the web app's <c>Program</c> in the tests that load both).</summary>
internal static class CliProgram
{
    public static Task<int> Main(string[] args) => PortalCliApp.RunAsync(args, CliEnvironment.FromProcess());
}
