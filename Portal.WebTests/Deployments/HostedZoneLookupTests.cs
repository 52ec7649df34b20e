using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Infrastructure.Requests;
using Portal.Tests.Aws;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>Route53 for the forms: the zone of a name, and records a stack would create that already belong to someone else.</summary>
public sealed class HostedZoneLookupTests : IAsyncLifetime
{
    private LoopbackAws _aws = null!;
    private AwsTestClients _clients = null!;
    private HostedZoneLookup _lookup = null!;
    private IDbContextFactory<Portal.Infrastructure.Persistence.PortalDbContext> _db = null!;

    public async Task InitializeAsync()
    {
        _aws = await LoopbackAws.StartAsync();
        _clients = new AwsTestClients(_aws);
        _db = await TestDatabases.SqliteAsync();
        _lookup = new HostedZoneLookup(_clients.Route53, _db);
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _aws.DisposeAsync();
    }

    [Fact]
    public async Task The_zone_of_a_name_is_its_longest_public_suffix_zone()
    {
        var parent = _aws.Route53.AddZone("example.com");
        _aws.Route53.AddZone("docs.example.com", isPrivate: true);
        _aws.Route53.AddZone("example.org");

        var zone = await _lookup.FindZoneAsync("api.docs.example.com");
        Assert.Equal(new HostedZoneMatch(parent, "example.com"), zone);
        Assert.Null(await _lookup.FindZoneAsync("www.example.net"));
        Assert.Empty(_aws.Violations);
    }

    [Fact]
    public async Task A_record_of_another_owner_is_a_conflict_and_the_portals_own_is_not()
    {
        var zone = _aws.Route53.AddZone("example.com");
        _aws.Route53.AddRecord(zone, "test.docs.example.com", "A", aliasTarget: "d999.cloudfront.net.");
        _aws.Route53.AddRecord(zone, "test.docs.example.com", "AAAA", aliasTarget: "d123ours.cloudfront.net.");
        _aws.Route53.AddRecord(zone, "test.www.docs.example.com", "A", value: "192.0.2.10");
        await using (var db = await _db.CreateDbContextAsync())
        {
            db.Stacks.Add(new TrackedStack
            {
                Id = Guid.NewGuid(), StackName = "portal-site-testing-docs-example-com", Region = "us-east-1", Kind = StackKind.Site,
                OutputsJson = "{\"DistributionDomainName\":\"d123ours.cloudfront.net\"}",
            });
            await db.SaveChangesAsync();
        }

        var planned = HostedZoneLookup.PlannedRecords(TestSpecs.Site(), DeploymentEnvironment.Testing);
        var conflicts = await _lookup.FindConflictsAsync(zone, planned);

        Assert.Equal(
            [("host", "test.docs.example.com", "A", "alias to d999.cloudfront.net"), ("redirectFrom", "test.www.docs.example.com", "A", "192.0.2.10")],
            conflicts.Select(c => (c.Field, c.Name, c.Type, c.Existing)));
        Assert.Contains("was not made by the portal", conflicts[0].Message, StringComparison.Ordinal);
        Assert.Empty(await _lookup.FindConflictsAsync(zone, HostedZoneLookup.PlannedRecords(TestSpecs.Site(), DeploymentEnvironment.Production)));
        Assert.Empty(_aws.Violations);
    }
}
