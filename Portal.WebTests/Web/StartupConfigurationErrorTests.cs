using System.Diagnostics;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>
/// The portal started as its own process (<c>dotnet Portal.dll</c>, configured by environment variables as a container
/// is) with bad settings prints one line naming each bad key on stderr and exits 78 (EX_CONFIG): no stack trace, no abort.
/// </summary>
public sealed class StartupConfigurationErrorTests
{
    public static TheoryData<Dictionary<string, string>, string[]> BadSettings() => new()
    {
        {
            new() { ["Authentication:Authority"] = "http://idp.example", ["Authentication:ClientId"] = "portal" },
            ["Authentication:Authority must use https; set Authentication:RequireHttpsMetadata=false only for a provider on loopback."]
        },
        {
            new() { ["Content:MaxFiles"] = "0", ["Database:Provider"] = "Postgres" },
            ["Content:MaxFiles must be between 1 and 1000000; got 0.", "Database:ConnectionString is required when Database:Provider is Postgres"]
        },
        {
            new() { ["Database:Provider"] = "Oracle" },
            ["'Database:Provider'"]
        },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_is_one_line_naming_the_key_and_exit_code_78(Dictionary<string, string> settings, string[] expected)
    {
        var data = Directory.CreateTempSubdirectory("portal-bad-config-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RunPortalAsync(data, settings);

            var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var line = Assert.Single(lines);
            Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal);
            Assert.All(expected, e => Assert.Contains(e, line, StringComparison.Ordinal));
            Assert.Equal(78, exit);
            Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunPortalAsync(string data, Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string?>(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))) { ["Database:DataDirectory"] = data };
        var start = PortalProcess.StartInfo(Identity.LivePortal.FreePort(), environment);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            // It started although the settings are bad: that is the failure this test reports.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
