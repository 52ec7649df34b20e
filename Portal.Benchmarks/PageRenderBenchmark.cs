using System.Diagnostics;
using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages;
using Portal.Components.Pages.Requests;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Portal.Benchmarks -- bench pages [--rows 10000] [--repeat 30]</c>: the server-side
/// first render of the dashboard and of the request list (until their data is shown) over N requests on SQLite,
/// against the same page while empty (no requests yet) in the same run, through the real components and query services,
/// as seen by a signed-in requester who owns a third of the requests (the dashboard lists theirs as well).
/// Also prints each page over a single request and against an empty page of the portal (Not found), for what the
/// components cost without data. Prints the median and 95th percentile of each and the ratios. Goal: under 3x the same
/// page empty, i.e. the portal's pages do not slow down as requests accumulate.
/// </summary>
public static class PageRenderBenchmark
{
    private const double Goal = 3.0;
    private static readonly Actor[] Owners = [TestActors.Alice, TestActors.Rita, TestActors.Dana];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rows = BenchmarkCommand.Option(args, "--rows", 10_000);
        var repeat = BenchmarkCommand.Option(args, "--repeat", 30);

        await using var portal = await PortalComponentContext.CreateAsync();
        portal.Bunit.Services.AddSingleton(portal.Queries);
        var cases = new (string Name, Action<BunitContext> Render, Action<BunitContext> RenderEmpty)[]
        {
            ("dashboard (counts, 20 recent)", Render<Home>("tr[data-request-row]"), RenderShowing<Home>("No requests yet.")),
            ("request list (page 1 of 25)", Render<AllRequests>("tr.mud-table-row td[data-label=Name] a"), RenderShowing<AllRequests>("No requests match.")),
        };

        // Each page before any request exists: the baseline of the goal.
        var emptyPages = new List<Times>();
        foreach (var (_, _, renderEmpty) in cases)
        {
            emptyPages.Add(await MeasureAsync(portal, repeat, renderEmpty));
        }

        // The same pages over a single request first: what the components cost before the data grows.
        if (!(await portal.Requests.CreateAsync(TestSpecs.Site("first.example.com"), Owners[0], submit: false)).Succeeded)
        {
            throw new InvalidOperationException("Seeding the first request failed.");
        }
        var small = new List<Times>();
        foreach (var (_, render, _) in cases)
        {
            small.Add(await MeasureAsync(portal, repeat, render));
        }

        var seeding = Stopwatch.StartNew();
        for (var i = 0; i < rows; i++)
        {
            RequestSpec spec = i % 4 == 3
                ? TestSpecs.MtaSts(string.Create(CultureInfo.InvariantCulture, $"mail{i}.example.com"))
                : TestSpecs.Site(string.Create(CultureInfo.InvariantCulture, $"site{i}.example.com")) with { RedirectFrom = [] };
            var created = await portal.Requests.CreateAsync(spec, Owners[i % Owners.Length], submit: i % 2 == 0);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seeding request {i} failed: {created.Message}");
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Page render benchmark: {rows:N0} requests on SQLite (seeded in {seeding.Elapsed.TotalSeconds:F1} s), {repeat} renders each"));
        var notFound = await MeasureAsync(portal, repeat, Render<NotFound>("h1"));
        Print(output, "Not found page (no data)", notFound, notFound, "Not found");
        var met = true;
        for (var i = 0; i < cases.Length; i++)
        {
            var times = await MeasureAsync(portal, repeat, cases[i].Render);
            await output.WriteLineAsync(cases[i].Name);
            Print(output, "  while empty (0 requests)", emptyPages[i], notFound, "Not found");
            Print(output, "  with 1 request", small[i], emptyPages[i], "empty");
            Print(output, string.Create(CultureInfo.InvariantCulture, $"  with {rows:N0} requests"), times, emptyPages[i], "empty");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"",-32} {times.Median / notFound.Median,42:F1}x the Not found page"));
            met &= times.Median / emptyPages[i].Median < Goal;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  goal: each page with {rows:N0} requests under {Goal}x the same page empty, at the median -> {(met ? "met" : "NOT met")}"));
        return 0;
    }

    /// <summary>Renders a page and waits until <paramref name="shown"/> is in its markup: the data has been loaded and drawn.</summary>
    private static Action<BunitContext> Render<T>(string shown)
        where T : IComponent => bunit => bunit.Render<T>(p => p.AddCascadingValue(Owners[0])).WaitForElement(shown, TimeSpan.FromSeconds(30));

    /// <summary>Renders a page and waits until <paramref name="text"/> is in its markup (an empty page's message).</summary>
    private static Action<BunitContext> RenderShowing<T>(string text)
        where T : IComponent => bunit =>
        {
            var page = bunit.Render<T>(p => p.AddCascadingValue(Owners[0]));
            page.WaitForAssertion(() => Assert.Contains(text, page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        };

    private static async Task<Times> MeasureAsync(PortalComponentContext portal, int repeat, Action<BunitContext> render)
    {
        for (var i = 0; i < 3; i++)
        {
            render(portal.Bunit);
            await portal.Bunit.DisposeComponentsAsync();
        }

        var times = new List<double>(repeat);
        for (var i = 0; i < repeat; i++)
        {
            var watch = Stopwatch.StartNew();
            render(portal.Bunit);
            times.Add(watch.Elapsed.TotalMilliseconds);
            await portal.Bunit.DisposeComponentsAsync();
        }

        times.Sort();
        return new Times(times[times.Count / 2], times[Math.Min(times.Count - 1, (int)(times.Count * 0.95))]);
    }

    private static void Print(TextWriter output, string name, Times times, Times baseline, string baselineName) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-32} median {times.Median,8:F2} ms   p95 {times.P95,8:F2} ms   {times.Median / baseline.Median,5:F1}x {baselineName}"));

    private sealed record Times(double Median, double P95);
}
