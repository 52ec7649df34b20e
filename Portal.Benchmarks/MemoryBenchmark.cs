using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Portal.Core.Workflow;
using Portal.Tests.Flows;
using Portal.Tests.Identity;

namespace Portal.Tests.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Portal.Benchmarks -- bench memory [--rounds 3] [--idle 240] [--env KEY=VALUE ...]</c>.
/// The README's run mode (<c>--demo</c>, default settings) as a process of its own; a requester and an approver sign in
/// with Chromium, the requester submits a site (deployed to testing in the sandbox), and both walk every page of the
/// portal <c>--rounds</c> times. Then the browsers close and the portal idles for <c>--idle</c> seconds. Prints the
/// portal's resident memory (VmRSS and its parts) at start, right after the walk and every 30 s while idle; no GC is
/// forced. <c>--env</c> sets environment variables of the portal process, to compare runtime settings in one build
/// (e.g. <c>--env DOTNET_gcServer=1 --env DOTNET_gcConcurrent=1</c>, the Web SDK's defaults). Goal: under 300 MiB idle.
/// </summary>
public static class MemoryBenchmark
{
    private const long GoalBytes = 300L * 1024 * 1024;
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rounds = BenchmarkCommand.Option(args, "--rounds", 3);
        var idle = TimeSpan.FromSeconds(BenchmarkCommand.Option(args, "--idle", 240));
        var environment = new Dictionary<string, string?>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--env" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                environment[key] = value;
            }
        }

        var wall = Stopwatch.StartNew();
        await using var portal = await SandboxDemoPortal.StartAsync(environment: environment);
        var pid = portal.Process.Id;
        var startedIn = wall.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(10));
        var atStart = ProcessMemory.Of(pid);

        var walk = Stopwatch.StartNew();
        var pages = 0;
        var requester = await portal.SignInAsync("requester@demo.invalid", portal.RequesterPassword);
        var approver = await portal.SignInAsync("approver@demo.invalid", portal.ApproverPassword);
        try
        {
            var page = requester.Page;
            await page.GotoAsync(portal.Url("/requests/new/site").ToString());
            var id = await SandboxDemoSteps.SubmitAsync(page, async () =>
            {
                await page.ClickAsync("[data-zone='example.com']");
                await page.FillAsync("[data-field=host]", "docs.example.com");
                await page.Locator("[data-field=host]").BlurAsync();
            });
            await SandboxDemoSteps.WaitForStateAsync(page, RequestState.TestingReady);

            string[] paths =
            [
                "/", "/requests", "/requests/mine", $"/requests/{id}", "/requests/new/site", "/requests/new/mta-sts", "/approvals",
                "/health", "/audit", $"/audit?request={id}",
            ];
            for (var round = 0; round < rounds; round++)
            {
                foreach (var browser in new[] { requester, approver })
                {
                    foreach (var path in paths)
                    {
                        await VisitAsync(browser.Page, portal.Url(path));
                        pages++;
                    }
                }
            }
        }
        finally
        {
            await requester.DisposeAsync();
            await approver.DisposeAsync();
        }

        var afterWalk = ProcessMemory.Of(pid);
        var walked = walk.Elapsed;
        var samples = new List<(TimeSpan At, ProcessMemory Memory)>();
        for (var waited = TimeSpan.Zero; waited < idle;)
        {
            var step = idle - waited < Sample ? idle - waited : Sample;
            await Task.Delay(step);
            waited += step;
            samples.Add((waited, ProcessMemory.Of(pid)));
        }

        var settled = samples.Count > 0 ? samples[^1].Memory : afterWalk;
        output.WriteLine("Memory benchmark: the README's run mode (--demo), two people walking every page in Chromium");
        output.WriteLine("  portal ready in {0:0.0} s (process {1}); environment: {2}", startedIn.TotalSeconds, pid,
            environment.Count == 0 ? "as built" : string.Join(' ', environment.Select(e => $"{e.Key}={e.Value}")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  walk: sign-in of both, one site to TestingReady, {pages} page visits ({rounds} rounds) in {walked.TotalSeconds:0} s"));
        output.WriteLine();
        ProcessMemory.Header(output, "portal process memory");
        atStart.Print(output, "at start (10 s after ready)");
        afterWalk.Print(output, "right after the walk");
        foreach (var (at, memory) in samples)
        {
            memory.Print(output, $"idle {at.TotalSeconds:0} s (browsers closed)");
        }

        output.WriteLine("  goal: idle after use under {0} -> {1}", ProcessMemory.MiB(GoalBytes), settled.Rss < GoalBytes ? "met" : "NOT met");
        return 0;
    }

    /// <summary>Opens a page and waits until the circuit has rendered it (its heading is there, then a moment for the rest).</summary>
    private static async Task VisitAsync(IPage page, Uri url)
    {
        await page.GotoAsync(url.ToString());
        await page.Locator("h1").First.WaitForAsync(new() { Timeout = 30_000 });
        await page.WaitForTimeoutAsync(1_000);
    }
}
