using System.Globalization;
using Portal.Cli;

namespace Portal.Tests.Cli;

/// <summary>
/// The portal's own verbs (<c>healthcheck</c>, <c>users</c>, <c>check</c>, <c>render</c>) on System.CommandLine: each
/// answers <c>--help</c> with its options and exit code 0, a bad command line gets one clear message naming the verb and
/// the verb's own exit code (nothing on stdout), and anything that is not a verb still starts the web portal.
/// </summary>
public sealed class PortalCliCommandLineTests
{
    [Theory]
    [InlineData(new[] { "healthcheck", "--help" }, "url")]
    [InlineData(new[] { "check", "--help" }, "--kind")]
    [InlineData(new[] { "check", "-h" }, "--dns")]
    [InlineData(new[] { "render", "--help" }, "--request")]
    [InlineData(new[] { "render", "--help" }, "--shared")]
    [InlineData(new[] { "users", "--help" }, "reset-mfa")]
    [InlineData(new[] { "users", "add", "--help" }, "--role")]
    [InlineData(new[] { "users", "disable", "--help" }, "--email")]
    public async Task Every_verb_explains_itself_on_help(string[] args, string mentioned)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(0, exit);
        Assert.Contains(mentioned, output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("healthcheck")]
    [InlineData("check")]
    [InlineData("render")]
    [InlineData("users")]
    [InlineData("users", "add")]
    public async Task A_verb_s_help_offers_no_additional_arguments_it_would_refuse(params string[] verb)
    {
        var (exit, output, _) = await RunAsync([.. verb, "--help"]);

        Assert.Equal(0, exit);
        Assert.DoesNotContain("additional arguments", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(new[] { "healthcheck", "--verbose" }, HealthcheckCommand.BadUrl, "healthcheck: unknown argument '--verbose'.")]
    [InlineData(new[] { "healthcheck", "http://a.test/healthz", "extra" }, HealthcheckCommand.BadUrl, "healthcheck: unexpected argument 'extra'.")]
    [InlineData(new[] { "users", "list", "--email", "a@example.test" }, UsersCommand.UsageError, "users list: unknown argument '--email'.")]
    [InlineData(new[] { "users", "add", "--email" }, UsersCommand.UsageError, "users add: --email needs a value.")]
    [InlineData(new[] { "users", "promote" }, UsersCommand.UsageError, "users: unexpected argument 'promote'.")]
    [InlineData(new[] { "check", "example.com", "--dns" }, CheckCommand.UsageError, "check: ")]
    [InlineData(new[] { "render", "--out" }, RenderCommand.BadInput, "error: ")]
    public async Task A_bad_command_line_gets_a_message_and_the_verb_s_exit_code(string[] args, int code, string message)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(code, exit);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Contains("--help' for its options.", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Users_without_a_subcommand_prints_the_usage()
    {
        var (exit, output, error) = await RunAsync(["users"]);

        Assert.Equal(UsersCommand.UsageError, exit);
        Assert.StartsWith("usage: users add --email EMAIL", error.Trim(), StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task A_value_starting_with_at_is_a_value_not_a_response_file()
    {
        var (exit, _, error) = await RunAsync(["render", "--request", "@no-such-file.json", "--out", Path.GetTempPath()]);

        Assert.Equal(RenderCommand.BadInput, exit);
        Assert.Contains("--request: cannot read '@no-such-file.json'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--demo" }, false)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5000" }, false)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--help" }, false)]
    [InlineData(new[] { "users", "list" }, true)]
    [InlineData(new[] { "healthcheck" }, true)]
    [InlineData(new[] { "check", "--help" }, true)]
    [InlineData(new[] { "render" }, true)]
    public void Only_a_verb_leaves_the_web_portal_unstarted(string[] args, bool handled) => Assert.Equal(handled, PortalCli.Handles(args));

    [Fact]
    public void Demo_still_reaches_the_web_host_as_its_setting() =>
        Assert.Equal(["--Identity:Demo=true", "--urls", "http://127.0.0.1:5000"], PortalCli.WebArguments(["--demo", "--urls", "http://127.0.0.1:5000"]));

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await PortalCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
