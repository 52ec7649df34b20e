using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Flows;

/// <summary>
/// The portal as the README's run command starts it (<c>dotnet run --project Portal -- --demo</c>: the Development
/// environment and demo users), as a process of its own with nothing else set but a free port and a data folder. The
/// demo users' passwords are read from its log, as a person reads them.
/// </summary>
public sealed partial class SandboxDemoPortal : IAsyncDisposable
{
    private readonly TemporaryFolder _data;

    private SandboxDemoPortal(PortalProcess process, TemporaryFolder data)
    {
        Process = process;
        _data = data;
    }

    public PortalProcess Process { get; }

    public string DataDirectory => _data.Path;

    public string RequesterPassword => Password("Requester");

    public string ApproverPassword => Password("Approver");

    /// <param name="data">The data folder (a new one by default).</param>
    /// <param name="environment">More environment variables for the process (a benchmark comparing runtime settings).</param>
    public static async Task<SandboxDemoPortal> StartAsync(TemporaryFolder? data = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        data ??= new TemporaryFolder("sandbox-demo-");
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Identity:Demo"] = "true",
            ["Database:DataDirectory"] = data.Path,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var process = PortalProcess.Start("sandbox-demo", settings);
        await process.WaitReadyAsync(TimeSpan.FromSeconds(90));
        var portal = new SandboxDemoPortal(process, data);
        for (var i = 0; i < 100 && !DemoPasswords().IsMatch(process.Output); i++)
        {
            await Task.Delay(200);
        }

        return portal;
    }

    /// <summary>A browser signed in as a demo user, who enrols an authenticator on this first sign-in.</summary>
    public async Task<Browser> SignInAsync(string email, string password)
    {
        var browser = await Browser.StartAsync();
        var page = browser.Page;
        await page.GotoAsync(new Uri(Process.BaseAddress, "/").ToString());
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        var key = (await page.Locator("#totp-key").InnerTextAsync()).Trim();
        await page.FillAsync("#code", Authenticator.Code(key));
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("#continue");
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
        return browser;
    }

    public Uri Url(string path) => new(Process.BaseAddress, path);

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _data.Dispose();
    }

    private string Password(string role)
    {
        var match = DemoPasswords().Matches(Process.Output).FirstOrDefault(m => m.Groups["role"].Value == role)
            ?? throw new InvalidOperationException($"The portal's log names no demo {role.ToLowerInvariant()}:\n{Process.Output}");
        return match.Groups["password"].Value;
    }

    [GeneratedRegex(@"(?<role>Requester|Approver)\s+\S+@demo\.invalid\s+password\s+(?<password>\S+)")]
    private static partial Regex DemoPasswords();
}
