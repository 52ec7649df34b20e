using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Core.Health;
using Portal.Health;
using Portal.Infrastructure.Health;
using Portal.Tests.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components.Health;

/// <summary>
/// A component context with the real health engine: checks ask a DNS server on loopback that knows no name, so a site
/// check finishes at once with "no address" and nothing leaves the machine. Results can also be stored directly.
/// </summary>
public sealed class HealthPortal : IAsyncDisposable
{
    private HealthPortal(PortalComponentContext portal, ScriptedDnsServer dns, HealthService health, HealthStatusFeed feed)
    {
        Portal = portal;
        Dns = dns;
        Health = health;
        Feed = feed;
    }

    public PortalComponentContext Portal { get; }

    public ScriptedDnsServer Dns { get; }

    public HealthService Health { get; }

    public HealthStatusFeed Feed { get; }

    public DateTimeOffset Now => Portal.Clock.GetUtcNow();

    public static async Task<HealthPortal> CreateAsync()
    {
        var dns = new ScriptedDnsServer((_, _) => []);
        var feed = new HealthStatusFeed();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dns:Servers:0"] = dns.EndPoint.ToString(),
            ["Health:CertificateWarningDays"] = "21",
        }).Build();
        PortalComponentContext? created = null;
        var portal = await PortalComponentContext.CreateAsync(services =>
        {
            services.AddSingleton<IConfiguration>(configuration);
            services.AddPortalHealth();
            services.AddSingleton(feed);
            services.AddSingleton(_ => new Portal.Infrastructure.Deployments.DriftQueries(created!.Db, created.Clock));
            services.AddSingleton(sp => new HealthService(
                created!.Db, sp.GetRequiredService<HealthChecker>(), [], sp.GetRequiredService<IOptions<HealthOptions>>(), created.Clock, null, feed));
        });
        created = portal;
        var health = portal.Bunit.Services.GetRequiredService<HealthService>();
        return new HealthPortal(portal, dns, health, feed);
    }

    /// <summary>Adds a watched name with no result yet.</summary>
    public async Task<Guid> WatchAsync(string name, HealthCheckKind kind)
    {
        await using var db = await Portal.Db.CreateDbContextAsync();
        var target = HealthTarget.Create(name, kind, null, "alice", Now);
        db.HealthTargets.Add(target);
        await db.SaveChangesAsync();
        return target.Id;
    }

    /// <summary>Stores a result for a watched name as a finished check would (without telling any page).</summary>
    public async Task RecordAsync(Guid targetId, HealthReport report)
    {
        await using var db = await Portal.Db.CreateDbContextAsync();
        var target = await db.HealthTargets.SingleAsync(t => t.Id == targetId);
        target.Record(report, report.CheckedAt.AddHours(1));
        db.HealthResults.Add(HealthResult.From(targetId, report));
        await db.SaveChangesAsync();
    }

    /// <summary>A watched name with one result of the given worst finding and figures.</summary>
    public async Task<Guid> CheckedAsync(
        string name, HealthCheckKind kind, FindingSeverity worst, string? grade = null, string? mode = null, DateTimeOffset? certificate = null,
        DateTimeOffset? at = null, params Finding[] more)
    {
        var id = await WatchAsync(name, kind);
        var findings = new List<Finding> { new("test." + worst.ToString().ToLowerInvariant(), worst, $"{name} is {worst}.") };
        findings.AddRange(more);
        await RecordAsync(id, new HealthReport(name, kind, at ?? Now, TimeSpan.FromMilliseconds(10), findings)
        {
            Grade = grade,
            Score = grade is null ? null : 100 - (10 * HealthGrades.Rank(grade)),
            MtaStsMode = mode,
            CertificateExpires = certificate,
        });
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Dns.DisposeAsync();
    }
}
