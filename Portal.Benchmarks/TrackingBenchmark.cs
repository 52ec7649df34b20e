using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Infrastructure.Persistence;
using Portal.Core.Approvals;
using Portal.Infrastructure.Aws;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Aws;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Portal.Benchmarks -- bench tracking</c>. How many AWS calls an hour of tracking costs: 1,000 resting stacks and 10 stacks being deployed, one simulated
/// hour on a fake clock (a pass per simulated second, as the worker runs), against the loopback endpoint with the
/// portal's default polling settings. Prints the calls the endpoint received, by operation. Goal: at most 2,000.
/// </summary>
public static class TrackingBenchmark
{
    private const int StableStacks = 1_000;
    private const int Deployments = 10;
    private const int Goal = 2_000;

    public static async Task<int> RunAsync(TextWriter output)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        var timings = new LifecycleTimings
        {
            ChangeSetCreation = TimeSpan.FromSeconds(20),
            ResourceStep = TimeSpan.FromSeconds(45),
            DriftDetection = TimeSpan.FromSeconds(30),
        };
        await using var aws = await LoopbackAws.StartAsync(clock, timings);
        aws.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);
        var db = await TestDatabases.SqliteAsync();
        var options = new DeploymentOptions();
        var settings = new PortalStackSettings { ContentBucketName = "portal-content-bench", LogBucketName = "portal-logs-bench" };

        // Signing dates and retry waits use the real clock (AWS checks signatures against it); everything the portal schedules uses the fake one.
        using var clients = new AwsTestClients(aws, new AwsSettings(), TimeProvider.System);
        using var access = new AwsAccess(new SdkCredentialSource(LoopbackAws.Credentials, null), clock);
        var requests = new RequestService(db, clock, Options.Create(new ApprovalOptions()));
        var events = new StackEventStore(clients.CloudFormation);
        var feed = new DeploymentStatusFeed();
        var tracker = new StackTracker(db, clients.CloudFormation, events, feed, clock, Microsoft.Extensions.Options.Options.Create(options));
        var engine = new DeploymentEngine(db, requests, new RendererStackSource(new StackRenderer(TemplateLibrary.LoadEmbedded(), settings), settings),
            new StackDeployer(clients.CloudFormation, events, clock, Microsoft.Extensions.Options.Options.Create(options), content: new S3ContentStore(clients.S3)), tracker, clients.CloudFront, new S3ContentStore(clients.S3),
            access, new WorkLeases(db, clock), feed, clock, Microsoft.Extensions.Options.Options.Create(options));

        await SeedStableStacksAsync(aws, db, clock, options);
        var ids = new List<Guid>();
        for (var i = 0; i < Deployments; i++)
        {
            var created = await requests.CreateAsync(TestSpecs.MtaSts($"mail{i:00}.example.com"), TestActors.Alice, submit: true);
            ids.Add(created.RequestId);
        }

        var wall = Stopwatch.StartNew();
        var end = clock.GetUtcNow() + TimeSpan.FromHours(1);
        var passes = 0;
        while (clock.GetUtcNow() < end)
        {
            await engine.RunOnceAsync();
            passes++;
            clock.Advance(options.WorkerInterval);
        }

        wall.Stop();
        var states = new List<RequestState>();
        foreach (var id in ids)
        {
            states.Add((await requests.GetAsync(id))!.State);
        }

        await using var ctx = await db.CreateDbContextAsync();
        var checkedStacks = await ctx.Stacks.CountAsync(s => s.LastCheckedAt != null);
        var driftChecked = await ctx.Stacks.CountAsync(s => s.DriftCheckedAt != null);
        var storedEvents = await ctx.StackEvents.CountAsync();

        var calls = aws.CallsByOperation();
        var total = calls.Values.Sum();
        output.WriteLine("Tracking benchmark: one simulated hour, {0:N0} resting stacks, {1} stacks deployed, default polling", StableStacks, Deployments);
        output.WriteLine("  passes {0:N0}, wall time {1:0.0} s", passes, wall.Elapsed.TotalSeconds);
        output.WriteLine("  deployments ended: {0}", string.Join(", ", states.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}")));
        output.WriteLine("  stacks checked at least once: {0:N0}; drift detected on {1:N0}; events stored {2:N0}", checkedStacks, driftChecked, storedEvents);
        output.WriteLine();
        output.WriteLine("  {0,-36} {1,7}", "AWS operation", "calls");
        foreach (var (operation, count) in calls.OrderByDescending(c => c.Value))
        {
            output.WriteLine("  {0,-36} {1,7:N0}", operation, count);
        }

        output.WriteLine("  {0,-36} {1,7:N0}", "total", total);
        output.WriteLine("  goal: at most {0:N0} -> {1}", Goal, total <= Goal ? "met" : "NOT met");
        if (aws.Violations.Count > 0)
        {
            output.WriteLine("  endpoint violations: " + string.Join(" | ", aws.Violations.Take(5)));
            return 1;
        }

        return total <= Goal && states.All(s => s == RequestState.TestingReady) ? 0 : 1;
    }

    /// <summary>Resting stacks the portal already knows, with their next checks spread as they would be after running a while.</summary>
    private static async Task SeedStableStacksAsync(LoopbackAws aws, IDbContextFactory<Portal.Infrastructure.Persistence.PortalDbContext> db, TimeProvider clock, DeploymentOptions options)
    {
        var random = new Random(42);
        var now = clock.GetUtcNow();
        await using var ctx = await db.CreateDbContextAsync();
        for (var i = 0; i < StableStacks; i++)
        {
            var name = StackNaming.Site("portal", DeploymentEnvironment.Production, $"site{i.ToString("0000", CultureInfo.InvariantCulture)}.example.com");
            var stackId = aws.CloudFormation.Seed("us-east-1", name, StackStatus.CreateComplete, new Dictionary<string, string> { ["DistributionId"] = "E" + i });
            ctx.Stacks.Add(new TrackedStack
            {
                Id = Guid.NewGuid(),
                StackName = name,
                Region = "us-east-1",
                StackId = stackId,
                Kind = StackKind.Site,
                Environment = DeploymentEnvironment.Production,
                Status = StackStatus.CreateComplete,
                LastCheckedAt = now,
                NextCheckAt = now + (options.StableCheckInterval * random.NextDouble()),
                NextDriftCheckAt = now + (options.DriftCheckInterval * random.NextDouble()),
                DriftStatus = "IN_SYNC",
            });
        }

        await ctx.SaveChangesAsync();
    }
}
