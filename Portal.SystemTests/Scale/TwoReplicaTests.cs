using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Approvals;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.LocalCloud.Providers;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Scale;

/// <summary>
/// Two portal processes on one real PostgreSQL, both with their background workers, against the loopback AWS endpoint
/// and a private network of dnsmasq and nginx: 50 site deployments and the health scan of the 50 testing names run
/// to completion with each job done exactly once, even though the process leading the work is killed half-way.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoReplicaTests(PostgresServer server, ITestOutputHelper output)
{
    private const int Sites = 50;

    [Fact]
    public async Task Two_processes_deploy_and_check_everything_once_and_lose_nothing_when_the_leader_is_killed()
    {
        var started = Stopwatch.StartNew();
        var hosts = Enumerable.Range(0, Sites).Select(i => string.Create(CultureInfo.InvariantCulture, $"site{i:00}.example.com")).ToList();
        var testingNames = hosts.Select(h => "test." + h).ToList();

        await using var network = await PrivateNetwork.CreateAsync();
        var web = await network.AllocateAddressAsync();
        var zone = new DnsZone("example.com");
        foreach (var name in testingNames)
        {
            zone.A(name, web);
        }

        await network.StartDnsAsync(zone);
        var site = new WebSite(testingNames[0], web)
            .WithCertificate(network.CertificateAuthority.Issue([.. testingNames]))
            .File("/", "<!doctype html><title>site</title>", "text/html");
        foreach (var alias in testingNames.Skip(1))
        {
            site.Alias(alias);
        }

        await network.StartWebAsync(site);
        // Each site stack makes four response headers policies; AWS's default of 20 per account would hold five sites,
        // so the account has the quota raised, as an operator of this many sites asks AWS to.
        await using var aws = await LoopbackAws.StartAsync(
            timings: new LifecycleTimings { ResourceStep = TimeSpan.FromMilliseconds(300) },
            quotas: new LocalCloudQuotas { ResponseHeadersPolicies = 4 * Sites });
        aws.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);
        var connection = await server.CreateDatabaseAsync();

        // Both start at once on an empty database: they race to migrate it, as replicas of a fresh install do.
        await using var first = PortalProcess.Start("first", Settings(aws, network, connection));
        await using var second = PortalProcess.Start("second", Settings(aws, network, connection));
        await Task.WhenAll(first.WaitReadyAsync(TimeSpan.FromMinutes(2)), second.WaitReadyAsync(TimeSpan.FromMinutes(2)));
        var readyAfter = started.Elapsed;

        var db = TestDatabases.ForPostgres(connection);
        var requests = new RequestService(db, TimeProvider.System, Options.Create(new ApprovalOptions()));
        var ids = new List<Guid>();
        foreach (var host in hosts)
        {
            var created = await requests.CreateAsync(TestSpecs.Site(host) with { RedirectFrom = [] }, TestActors.Alice, submit: true);
            Assert.True(created.Succeeded, created.Message);
            ids.Add(created.RequestId);
        }

        // The leader is whichever process holds the engine's lease; it is killed once part of the work is done.
        var leaderPid = await WaitForAsync(() => LeaderPidAsync(db), pid => pid is not null, TimeSpan.FromMinutes(1), "a process to take the engine lease", first, second);
        var leader = first.Id == leaderPid ? first : second.Id == leaderPid ? second : throw new InvalidOperationException($"The lease names process {leaderPid}, neither of the two.");
        var survivor = leader == first ? second : first;
        // Killed while CloudFormation is creating site stacks the leader started and follows.
        await WaitForAsync(() => CountSiteStacksInStepAsync(db, StackStep.Tracking), n => n >= 10, TimeSpan.FromMinutes(3), "10 site stacks being created", first, second);
        await leader.KillAsync();
        var killedAt = started.Elapsed;
        var readyAtKill = await CountInStateAsync(db, RequestState.TestingReady);
        Assert.True(readyAtKill < Sites, $"All {Sites} sites were ready before the leader was killed; the test did not stop it mid-way.");
        var unfinishedAtKill = await CountRunsAsync(db, RunStatus.Running);
        var trackingAtKill = await CountSiteStacksInStepAsync(db, StackStep.Tracking);
        var statesAtKill = await StatesAsync(db);

        var takeoverPid = await WaitForAsync(() => LeaderPidAsync(db), pid => pid == survivor.Id, TimeSpan.FromMinutes(1), "the survivor to take the lease", survivor);
        Assert.Equal(survivor.Id, takeoverPid);
        var tookOverAfter = started.Elapsed - killedAt;

        await WaitForAsync(() => CountInStateAsync(db, RequestState.TestingReady), n => n == Sites, TimeSpan.FromMinutes(5), $"{Sites} sites ready", survivor);
        var deployedAt = started.Elapsed;
        await WaitForAsync(() => CountCheckedTargetsAsync(db), n => n == Sites, TimeSpan.FromMinutes(3), $"{Sites} names checked", survivor);
        var checkedAt = started.Elapsed;

        // Several more scan ticks: a duplicate check or a second deployment would show up in this time.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.False(survivor.HasExited, survivor.Output);

        await using var ctx = await db.CreateDbContextAsync();
        var states = await ctx.Requests.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => r.State).ToListAsync();
        Assert.All(states, s => Assert.Equal(RequestState.TestingReady, s));

        var runsPerRequest = await ctx.DeploymentRuns.AsNoTracking().GroupBy(r => r.RequestId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Sites, runsPerRequest.Count);
        Assert.All(runsPerRequest, n => Assert.Equal(1, n));

        var audit = await ctx.AuditEvents.AsNoTracking().Where(e => ids.Contains(e.RequestId)).Select(e => new { e.RequestId, e.Action }).ToListAsync();
        var starts = audit.Where(e => e.Action == nameof(WorkflowAction.StartTestingDeployment)).GroupBy(e => e.RequestId).ToDictionary(g => g.Key, g => g.Count());
        var completions = audit.Where(e => e.Action == nameof(WorkflowAction.CompleteTestingDeployment)).GroupBy(e => e.RequestId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(ids, id => Assert.Equal(1, starts.GetValueOrDefault(id)));
        Assert.All(ids, id => Assert.Equal(1, completions.GetValueOrDefault(id)));

        var siteStacks = hosts.Select(h => StackNaming.Site("portal", DeploymentEnvironment.Testing, h)).ToList();
        Assert.All(siteStacks, s => Assert.Equal(1, aws.CloudFormation.StacksCreated.GetValueOrDefault(s)));
        Assert.All(siteStacks, s => Assert.Equal(1, aws.CloudFormation.ChangeSetsCreated.GetValueOrDefault(s)));
        var executions = aws.CloudFormation.Executions.Values.ToList();
        Assert.All(executions, n => Assert.Equal(1, n));
        Assert.Empty(aws.Violations);

        var resultsPerTarget = await ctx.HealthTargets.AsNoTracking()
            .Select(t => new { t.Name, Results = ctx.HealthResults.Count(r => r.TargetId == t.Id) }).ToListAsync();
        Assert.Equal(testingNames.Order(StringComparer.Ordinal), resultsPerTarget.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(resultsPerTarget, t => Assert.Equal(1, t.Results));

        output.WriteLine($"two portal processes on one PostgreSQL, {Sites} sites:");
        output.WriteLine($"  both ready (concurrent migration) after {readyAfter.TotalSeconds:F1} s");
        output.WriteLine($"  leader pid {leader.Id} killed with {readyAtKill} sites ready and {unfinishedAtKill} runs in flight, {trackingAtKill} site stacks being created ({statesAtKill}) at {killedAt.TotalSeconds:F1} s; survivor pid {survivor.Id} took the lease {tookOverAfter.TotalSeconds:F1} s later");
        output.WriteLine($"  deployments: {runsPerRequest.Sum()} runs for {Sites} requests, {executions.Count} change sets executed once each, duplicates {runsPerRequest.Sum() - Sites + executions.Count(n => n > 1)}; all ready at {deployedAt.TotalSeconds:F1} s");
        output.WriteLine($"  health: {resultsPerTarget.Sum(t => t.Results)} results for {resultsPerTarget.Count} names, duplicates {resultsPerTarget.Sum(t => t.Results - 1)}; all checked at {checkedAt.TotalSeconds:F1} s");
        output.WriteLine($"  AWS calls: {aws.RequestCount}");
    }

    private Dictionary<string, string?> Settings(LoopbackAws aws, PrivateNetwork network, string connection)
    {
        var settings = PortalAwsSettings.For(aws, Directory.CreateTempSubdirectory("portal-replica-").FullName, withCredentials: true);
        settings["Database:Provider"] = "Postgres";
        settings["Database:ConnectionString"] = connection;
        settings["Deployments:LeaseDuration"] = "00:00:05";
        settings["Dns:Servers:0"] = network.DnsEndPoint.ToString();
        settings["Dns:Timeout"] = "00:00:02";
        settings["Health:Timeout"] = "00:00:02";
        settings["Health:ExtraTrustedRootsFile"] = network.CertificateAuthority.PemPath;
        foreach (var (key, value) in network.AllowedNetworkSettings())
        {
            settings[key] = value;
        }

        settings["Health:ScanEvery"] = "00:00:01";
        settings["Health:ClaimLease"] = "00:00:20";
        settings["Health:Interval"] = "01:00:00";
        settings["Logging:LogLevel:Default"] = "Warning";
        return settings;
    }

    private static async Task<int?> LeaderPidAsync(IDbContextFactory<PortalDbContext> db)
    {
        await using var ctx = await db.CreateDbContextAsync();
        var owner = await ctx.WorkLeases.AsNoTracking().Where(l => l.Name == DeploymentEngine.LeaseName && l.Until > DateTimeOffset.UtcNow)
            .Select(l => l.Owner).SingleOrDefaultAsync();
        // The owner is "<host>-<process id>-<guid>"; a host name may itself contain dashes.
        var parts = owner?.Split('-');
        return parts is { Length: >= 3 } && int.TryParse(parts[^2], CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private static async Task<int> CountInStateAsync(IDbContextFactory<PortalDbContext> db, RequestState state)
    {
        await using var ctx = await db.CreateDbContextAsync();
        return await ctx.Requests.CountAsync(r => r.State == state);
    }

    private static async Task<string> StatesAsync(IDbContextFactory<PortalDbContext> db)
    {
        await using var ctx = await db.CreateDbContextAsync();
        var states = await ctx.Requests.GroupBy(r => r.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Count}"));
    }

    private static async Task<int> CountSiteStacksInStepAsync(IDbContextFactory<PortalDbContext> db, StackStep step)
    {
        await using var ctx = await db.CreateDbContextAsync();
        return await ctx.StackOperations.CountAsync(o => o.Kind == StackKind.Site && o.Step == step);
    }

    private static async Task<int> CountRunsAsync(IDbContextFactory<PortalDbContext> db, RunStatus status)
    {
        await using var ctx = await db.CreateDbContextAsync();
        return await ctx.DeploymentRuns.CountAsync(r => r.Status == status);
    }

    private static async Task<int> CountCheckedTargetsAsync(IDbContextFactory<PortalDbContext> db)
    {
        await using var ctx = await db.CreateDbContextAsync();
        return await ctx.HealthTargets.CountAsync(t => t.LastCheckedAt != null);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what, params PortalProcess[] watched)
    {
        var deadline = DateTime.UtcNow + timeout;
        var value = await read();
        while (!done(value))
        {
            foreach (var process in watched)
            {
                Assert.False(process.HasExited, $"The portal process {process.Name} exited while waiting for {what}:\n{process.Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what} (last seen: {value}).\n{string.Join("\n", watched.Select(p => $"--- {p.Name}:\n{p.Output}"))}");
            }

            await Task.Delay(250);
            value = await read();
        }

        return value;
    }
}
