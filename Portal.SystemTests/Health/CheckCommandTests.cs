using System.Text.Json;
using Portal.Cli;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>
/// <c>check NAME [--kind mail|site] [--dns IP[:PORT]] [--json]</c> against the fixture network: exit 0 when healthy,
/// 1 on warnings, 2 on errors, 64 for a bad command line; <c>--json</c> prints the reports.
/// </summary>
[Collection(HealthFixtureCollection.Name)]
public sealed class CheckCommandTests(HealthFixtureNetwork fixture)
{
    private string Dns => fixture.Network.DnsEndPoint.ToString();

    /// <summary>The test CA trusted and the fixture network's private blocks allowed, as an operator would configure them.</summary>
    private Dictionary<string, string?> TrustTestCa => new(fixture.Network.AllowedNetworkSettings())
    {
        ["Health:ExtraTrustedRootsFile"] = fixture.Network.CertificateAuthority.PemPath,

        // The fixture's mail domains have no mail servers to check (MxTransportCheckTests has some).
        ["Health:CheckMxTransport"] = "false",
    };

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CheckCommand.RunAsync(args, stdout, stderr, TrustTestCa);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("valid.test", "mail", 0)]
    [InlineData("testing.test", "mail", 1)]
    [InlineData("no-record.test", "mail", 2)]
    [InlineData("site-good.test", "site", 0)]
    [InlineData("site-no-h2.test", "site", 1)]
    [InlineData("site-expired.test", "site", 2)]
    public async Task Exit_code_is_0_healthy_1_warnings_2_errors(string name, string kind, int expected)
    {
        var (exit, output, error) = await RunAsync(name, "--kind", kind, "--dns", Dns);

        Assert.True(expected == exit, $"exit {exit}\n{output}\n{error}");
        Assert.StartsWith($"{name} ({kind}): ", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Without_a_kind_the_name_s_records_choose_the_checks()
    {
        var mail = await RunAsync("valid.test", "--dns", Dns);
        var site = await RunAsync("site-good.test", "--dns", Dns);

        Assert.StartsWith("valid.test (mail): pass", mail.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("(site)", mail.Out, StringComparison.Ordinal);
        Assert.StartsWith("site-good.test (site): pass", site.Out, StringComparison.Ordinal);
        Assert.Equal((0, 0), (mail.Exit, site.Exit));
    }

    [Fact]
    public async Task Json_output_is_an_array_of_reports_with_findings()
    {
        var (exit, output, _) = await RunAsync("testing-no-tlsrpt.test", "--kind", "mail", "--dns", Dns, "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        var report = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("testing-no-tlsrpt.test", report.GetProperty("name").GetString());
        Assert.Equal("mail", report.GetProperty("kind").GetString());
        Assert.Equal("warning", report.GetProperty("worst").GetString());
        Assert.Equal(1, report.GetProperty("exitCode").GetInt32());
        Assert.Equal("valid-policy", report.GetProperty("verdict").GetString());
        Assert.Equal("testing", report.GetProperty("mtaStsMode").GetString());
        Assert.Equal(1209600, report.GetProperty("maxAge").GetInt64());
        Assert.Equal("20260101T000000", report.GetProperty("policyId").GetString());
        var findings = report.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("id").GetString(), f.GetProperty("severity").GetString())).ToList();
        Assert.Equal([("mta-sts.valid", "pass"), ("mta-sts.mode-testing", "warning"), ("tlsrpt.missing-while-testing", "warning")], findings);
        var testing = report.GetProperty("findings")[1];
        Assert.Equal("RFC 8461 section 5", testing.GetProperty("reference").GetString());
        Assert.False(testing.TryGetProperty("evidence", out _), "null evidence is left out");
    }

    [Theory]
    [InlineData(new[] { "valid.test", "--kind", "smtp" }, "check: --kind takes 'mail' or 'site'.")]
    [InlineData(new[] { "valid.test", "--dns", "not-an-address" }, "check: --dns 'not-an-address' is not IP or IP:PORT.")]
    [InlineData(new[] { "valid.test", "--verbose" }, "check: unknown option '--verbose'.")]
    [InlineData(new[] { "valid.test", "other.test" }, "check: one name at a time.")]
    [InlineData(new[] { "--json" }, "check: a name is required")]
    [InlineData(new[] { "192.0.2.1" }, "check: '192.0.2.1' must be a host name, not an IP address.")]
    public async Task A_bad_command_line_exits_64_with_a_message(string[] args, string message)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(CheckCommand.UsageError, exit);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task The_published_entry_point_reads_the_CA_from_the_environment()
    {
        var portal = Path.Combine(AppContext.BaseDirectory, "Portal.dll");
        var allowed = fixture.Network.AllowedNetworkSettings("Health__AllowedNetworks__");
        var environment = new Dictionary<string, string?>(allowed) { ["Health__ExtraTrustedRootsFile"] = fixture.Network.CertificateAuthority.PemPath };

        var trusted = await CommandRunner.RunAsync("dotnet", [portal, "check", "valid.test", "--kind", "mail", "--dns", Dns], TimeSpan.FromSeconds(60), environment);
        var untrusted = await CommandRunner.RunAsync("dotnet", [portal, "check", "valid.test", "--kind", "mail", "--dns", Dns], TimeSpan.FromSeconds(60),
            new Dictionary<string, string?>(allowed) { ["Health__ExtraTrustedRootsFile"] = null });
        var missing = await CommandRunner.RunAsync("dotnet", [portal, "check", "valid.test", "--dns", Dns], TimeSpan.FromSeconds(60),
            new Dictionary<string, string?> { ["Health__ExtraTrustedRootsFile"] = "/nonexistent/ca.pem" });

        Assert.True(trusted.ExitCode == 0, trusted.StandardOutput + trusted.StandardError);
        Assert.Equal(2, untrusted.ExitCode);
        Assert.Contains("mta-sts.certificate-invalid", untrusted.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(CheckCommand.UsageError, missing.ExitCode);
        Assert.Contains("Health:ExtraTrustedRootsFile names a file that does not exist.", missing.StandardError, StringComparison.Ordinal);
    }
}
