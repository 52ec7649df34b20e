using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>
/// Two portal replicas (two <see cref="HealthService"/> instances on one database, SQLite or PostgreSQL) scanning the
/// same due targets at the same time check each target exactly once: the claim's concurrency token lets one win; a
/// replica that dies holding a claim leaves the name to the others once <see cref="HealthOptions.ClaimLease"/> passes.
/// </summary>
public sealed class HealthScanClaimTests(PrivateNetworkFixture fixture, PostgresServer postgres) : IClassFixture<PrivateNetworkFixture>, IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const int Targets = 24;

    private PrivateNetwork Network => fixture.Network;

    private static string DomainName(int i) => $"claim{i}.test";

    public async Task InitializeAsync()
    {
        // One address for every policy host: nginx tells them apart by SNI.
        var address = await Network.AllocateAddressAsync();
        var zone = new DnsZone();
        var sites = new List<WebSite>();
        for (var i = 0; i < Targets; i++)
        {
            var domain = DomainName(i);
            zone.Txt("_mta-sts." + domain, "v=STSv1; id=1;").Txt("_smtp._tls." + domain, $"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}")
                .Mx(domain, "mx1." + domain, 10).A("mta-sts." + domain, address);
            sites.Add(new WebSite("mta-sts." + domain, address).File(HealthFixtureNetwork.PolicyPath, HealthFixtureNetwork.EnforcePolicy(domain)));
        }

        await Network.StartDnsAsync(zone);
        await Network.StartWebAsync(sites, CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public Task Two_replicas_on_SQLite_check_each_due_target_once() => ScanTwiceAtOnceAsync(TestDatabases.SqliteAsync());

    [Fact]
    public Task Two_replicas_on_PostgreSQL_check_each_due_target_once() => ScanTwiceAtOnceAsync(TestDatabases.PostgresAsync(postgres));

    [Fact]
    public async Task A_name_claimed_by_a_replica_that_died_mid_check_is_checked_by_another_once_the_claim_lease_passes()
    {
        var database = await TestDatabases.PostgresAsync(postgres);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var engine = HealthFixtureNetwork.BuildEngine(Network, clock);
        var options = new HealthOptions { Timeout = HealthFixtureNetwork.Timeout, ClaimLease = TimeSpan.FromMinutes(2) };
        var survivor = new HealthService(database, engine.GetRequiredService<HealthChecker>(), [], Microsoft.Extensions.Options.Options.Create(options), clock);
        var (id, problem) = await survivor.AddAsync(DomainName(0), HealthCheckKind.Mail, TestActors.Dana);
        Assert.Null(problem);

        // The other replica claimed the name and died before storing a result.
        await using (var dead = await database.CreateDbContextAsync())
        {
            var target = await dead.HealthTargets.SingleAsync(t => t.Id == id);
            target.Claim(clock.GetUtcNow() + options.ClaimLease);
            await dead.SaveChangesAsync();
        }

        clock.Advance(options.ClaimLease - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await survivor.ScanDueAsync()).Checked);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, (await survivor.ScanDueAsync()).Checked);
        Assert.Equal(0, (await survivor.ScanDueAsync()).Checked);

        await using var db = await database.CreateDbContextAsync();
        Assert.Equal(1, await db.HealthResults.CountAsync(r => r.TargetId == id));
    }

    private async Task ScanTwiceAtOnceAsync(Task<IDbContextFactory<PortalDbContext>> databaseTask)
    {
        var database = await databaseTask;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var engineA = HealthFixtureNetwork.BuildEngine(Network, clock);
        await using var engineB = HealthFixtureNetwork.BuildEngine(Network, clock);
        var options = new HealthOptions { MaxConcurrency = 4, Timeout = HealthFixtureNetwork.Timeout };
        var replicaA = new HealthService(database, engineA.GetRequiredService<HealthChecker>(), [], Microsoft.Extensions.Options.Options.Create(options), clock);
        var replicaB = new HealthService(database, engineB.GetRequiredService<HealthChecker>(), [], Microsoft.Extensions.Options.Options.Create(options), clock);
        for (var i = 0; i < Targets; i++)
        {
            Assert.Null((await replicaA.AddAsync(DomainName(i), HealthCheckKind.Mail, TestActors.Dana)).Problem);
        }

        var results = await Task.WhenAll(replicaA.ScanDueAsync(), replicaB.ScanDueAsync());
        var again = await Task.WhenAll(replicaA.ScanDueAsync(), replicaB.ScanDueAsync());

        await using var db = await database.CreateDbContextAsync();
        var perTarget = await db.HealthResults.GroupBy(r => r.TargetId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Targets, results.Sum(r => r.Checked));
        Assert.Equal(Targets, perTarget.Count);
        Assert.All(perTarget, count => Assert.Equal(1, count));
        Assert.All(await db.HealthTargets.ToListAsync(), t => Assert.Equal(FindingSeverity.Pass, t.LastWorst));
        Assert.Equal(0, again.Sum(r => r.Checked));
    }
}
