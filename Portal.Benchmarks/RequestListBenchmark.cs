using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Portal.Benchmarks -- bench requests [--rows 10000] [--repeat 50]</c>: the request list
/// (all requests, my requests, filters, sorting, a page deep in the list, the state counts of the home page) over N
/// requests, on SQLite and on a PostgreSQL the benchmark starts (or <c>PORTAL_TEST_POSTGRES</c>). Prints the median
/// and 95th percentile of each query: what one page of the table costs the database.
/// </summary>
public static class RequestListBenchmark
{
    private static readonly Actor[] Owners = [TestActors.Alice, TestActors.Rita, TestActors.Dana];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rows = BenchmarkCommand.Option(args, "--rows", 10_000);
        var repeat = BenchmarkCommand.Option(args, "--repeat", 50);

        await MeasureAsync("SQLite", await TestDatabases.SqliteAsync(), rows, repeat, output);
        var server = new PostgresServer();
        await server.InitializeAsync();
        try
        {
            await MeasureAsync("PostgreSQL", await TestDatabases.PostgresAsync(server), rows, repeat, output);
        }
        finally
        {
            await server.DisposeAsync();
        }

        return 0;
    }

    private static async Task MeasureAsync(string provider, IDbContextFactory<PortalDbContext> db, int rows, int repeat, TextWriter output)
    {
        var seeding = Stopwatch.StartNew();
        await SeedAsync(db, rows);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{provider}: {rows:N0} requests seeded through RequestService in {seeding.Elapsed.TotalSeconds:F1} s"));

        var queries = new RequestQueries(db);
        var deepPage = Math.Max(0, rows / 25 / 2);
        var cases = new (string Name, Func<Task<int>> Run)[]
        {
            ("all, newest first, page 1 of 25", async () => (await queries.ListAsync(new RequestListQuery { PageSize = 25 })).Items.Count),
            ($"all, by name, page {deepPage + 1}", async () => (await queries.ListAsync(new RequestListQuery { PageSize = 25, SortBy = RequestSortField.Name, Descending = false, Page = deepPage })).Items.Count),
            ("all, by owner descending, page 1", async () => (await queries.ListAsync(new RequestListQuery { PageSize = 25, SortBy = RequestSortField.Owner })).Items.Count),
            ("my requests (a third), page 1", async () => (await queries.ListAsync(new RequestListQuery { PageSize = 25, OwnerId = TestActors.Rita.Id })).Items.Count),
            ("state filter Submitted, page 1", async () => (await queries.ListAsync(new RequestListQuery { PageSize = 25, States = [RequestState.Submitted] })).Items.Count),
            ("search \"site12\", page 1", async () => (await queries.ListAsync(new RequestListQuery { PageSize = 25, Search = "site12" })).Items.Count),
            ("kind MTA-STS, 200 per page", async () => (await queries.ListAsync(new RequestListQuery { PageSize = 200, Kind = RequestKind.MtaSts })).Items.Count),
            ("counts by state (home page)", async () => (await queries.CountByStateAsync()).Count),
        };

        foreach (var (name, run) in cases)
        {
            await run();
            var times = new List<double>(repeat);
            var found = 0;
            for (var i = 0; i < repeat; i++)
            {
                var watch = Stopwatch.StartNew();
                found = await run();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-36} median {times[times.Count / 2],7:F2} ms   p95 {times[(int)(times.Count * 0.95)],7:F2} ms   ({found} rows)"));
        }
    }

    private static async Task SeedAsync(IDbContextFactory<PortalDbContext> db, int rows)
    {
        var clock = new FakeTimeProvider(TestActors.SignedInAt);
        var requests = new RequestService(db, clock, Options.Create(new ApprovalOptions()));
        for (var i = 0; i < rows; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(7));
            RequestSpec spec = i % 4 == 3
                ? TestSpecs.MtaSts(string.Create(CultureInfo.InvariantCulture, $"mail{i}.example.com"))
                : TestSpecs.Site(string.Create(CultureInfo.InvariantCulture, $"site{i}.example.com")) with { RedirectFrom = [] };
            var created = await requests.CreateAsync(spec, Owners[i % Owners.Length], submit: i % 2 == 0);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Seeding request {i} failed: {created.Message}");
            }
        }
    }
}
