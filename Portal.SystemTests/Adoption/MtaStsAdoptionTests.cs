using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Adoption;
using Portal.Core.Approvals;
using Portal.Core.Health;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Health;
using Portal.Infrastructure.Adoption;
using Portal.Infrastructure.Health;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.Tests.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Adoption;

/// <summary>
/// An admin adopts a mail domain whose MTA-STS policy is served outside the portal (dnsmasq and nginx in a private
/// network): the portal reads the policy and records, records an Adopted request owned by the person and team picked,
/// watches it, and the owner's next revision enters the normal workflow. Domains already managed, without a readable
/// policy, or typed wrongly are refused with nothing recorded.
/// </summary>
public sealed class MtaStsAdoptionTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>
{
    private const string Domain = "adopted.test";

    private static readonly Actor Owner = TestActors.Alice;

    private PrivateNetwork Network => fixture.Network;

    [Fact]
    public async Task An_existing_policy_is_recorded_as_an_adopted_request_watched_by_health_checks_and_revised_through_the_workflow()
    {
        var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database);
        await PublishAsync(Domain, HealthFixtureNetwork.EnforcePolicy(Domain));
        await AddTeamAsync(database, "mail-team");
        var adoption = services.GetRequiredService<AdoptionService>();

        var preview = await adoption.PreviewAsync(" Adopted.TEST. ", TestActors.Dana);
        var adopted = await adoption.AdoptAsync(new AdoptMtaStsCommand(Domain, Owner.Id, Owner.DisplayName, "mail-team"), TestActors.Dana);

        Assert.True(preview.Succeeded, preview.Message);
        var found = preview.Preview!.Found!;
        Assert.Equal((MtaStsMode.Enforce, 1209600L, "one"), (found.Mode, found.MaxAge, found.PolicyId));
        Assert.Equal(["mx1." + Domain], found.Mx);
        Assert.Equal(["mailto:tlsrpt@" + Domain], found.TlsRptRua);
        Assert.True(adopted.Succeeded, adopted.Message);

        await using (var db = await database.CreateDbContextAsync())
        {
            var request = await db.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).SingleAsync(r => r.Id == adopted.RequestId);
            Assert.Equal((RequestState.Adopted, RequestKind.MtaSts, Domain, Owner.Id, "mail-team"), (request.State, request.Kind, request.PrimaryName, request.OwnerId, request.TeamId));
            var spec = Assert.IsType<MtaStsSpec>(request.CurrentRevision.Spec);
            Assert.Equal((MtaStsMode.Enforce, 1209600L, false), (spec.Mode, spec.MaxAge, spec.DnsInRoute53));
            Assert.Equal(["mx1." + Domain], spec.Mx);
            Assert.Equal(["mailto:tlsrpt@" + Domain], spec.TlsRptRua);
            var audit = Assert.Single(request.AuditEvents);
            Assert.Equal(("Adopt", TestActors.Dana.Id, (RequestState?)null, RequestState.Adopted), (audit.Action, audit.ActorId, audit.FromState, audit.ToState));
            Assert.Equal($"Adopted what mta-sts.{Domain} serves: mode enforce, max_age 1209600, mx mx1.{Domain}; _mta-sts id one; TLS-RPT mailto:tlsrpt@{Domain}; 0 problem(s) found.", audit.Reason);
            var target = await db.HealthTargets.SingleAsync(t => t.Name == Domain);
            Assert.Equal((HealthCheckKind.Mail, adopted.RequestId), (target.Kind, target.RequestId));
            var admin = await db.AdminAuditEvents.SingleAsync();
            Assert.Equal(("AdoptMtaSts", $"mail domain {Domain}"), (admin.Action, admin.Subject));
        }

        var scan = await services.GetRequiredService<HealthService>().ScanDueAsync();
        Assert.Equal(1, scan.Checked);

        var requests = new RequestService(database, TimeProvider.System, Options.Create(new ApprovalOptions()));
        var revised = await requests.ReviseAsync(adopted.RequestId!.Value, new MtaStsSpec { Domain = Domain, Mode = MtaStsMode.Enforce, MaxAge = 1209600, Mx = ["mx1." + Domain] }, Owner);
        Assert.True(revised.Succeeded, revised.Message);
        Assert.Equal(RequestState.Submitted, revised.State);
    }

    [Fact]
    public async Task A_domain_already_managed_by_a_request_is_refused()
    {
        var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database);
        await PublishAsync(Domain, HealthFixtureNetwork.EnforcePolicy(Domain));
        var adoption = services.GetRequiredService<AdoptionService>();
        var first = await adoption.AdoptAsync(new AdoptMtaStsCommand(Domain, Owner.Id, Owner.DisplayName, null), TestActors.Dana);

        var second = await adoption.AdoptAsync(new AdoptMtaStsCommand(Domain, Owner.Id, Owner.DisplayName, null), TestActors.Dana);

        Assert.True(first.Succeeded, first.Message);
        Assert.Equal(RefusalCode.Conflict, second.Code);
        Assert.Equal($"{Domain} is already managed by the portal: request {first.RequestId} is adopted (served outside the portal). Nothing was adopted.", second.Message);
        await using var db = await database.CreateDbContextAsync();
        Assert.Equal(1, await db.Requests.CountAsync());
    }

    [Fact]
    public async Task A_domain_whose_policy_cannot_be_read_is_refused_with_what_went_wrong()
    {
        var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database);
        const string broken = "broken.test";
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().Txt("_mta-sts." + broken, "v=STSv1; id=one;").A("mta-sts." + broken, address));
        await Network.StartWebAsync(new WebSite("mta-sts." + broken, address).Respond("/.well-known/mta-sts.txt", 500, "oops"));

        var result = await services.GetRequiredService<AdoptionService>().AdoptAsync(new AdoptMtaStsCommand(broken, Owner.Id, Owner.DisplayName, null), TestActors.Dana);

        Assert.Equal(RefusalCode.ConditionNotMet, result.Code);
        Assert.Equal($"The policy of {broken} could not be read from mta-sts.{broken}: https://mta-sts.{broken}/.well-known/mta-sts.txt answers 500; only 200 gives a policy. "
            + "Only a policy senders can fetch is adopted; fix it where it is served, or make a new MTA-STS request.", result.Message);
        await using var db = await database.CreateDbContextAsync();
        Assert.Equal(0, await db.Requests.CountAsync());
    }

    [Fact]
    public async Task A_domain_without_an_mta_sts_record_is_refused()
    {
        var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database);
        await Network.StartDnsAsync(new DnsZone("plain.test").Mx("plain.test", "mx1.plain.test", 10));

        var result = await services.GetRequiredService<AdoptionService>().PreviewAsync("plain.test", TestActors.Dana);

        Assert.Equal(RefusalCode.ConditionNotMet, result.Code);
        Assert.StartsWith("plain.test announces no MTA-STS policy (no valid v=STSv1 record at _mta-sts.plain.test)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_and_people_who_are_not_admins_are_refused_before_anything_is_read()
    {
        var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database);
        var adoption = services.GetRequiredService<AdoptionService>();

        var badName = await adoption.PreviewAsync("not a domain", TestActors.Dana);
        var noOwner = await adoption.AdoptAsync(new AdoptMtaStsCommand(Domain, " ", "", null), TestActors.Dana);
        var noTeam = await adoption.AdoptAsync(new AdoptMtaStsCommand(Domain, Owner.Id, Owner.DisplayName, "no-such-team"), TestActors.Dana);
        var requester = await adoption.AdoptAsync(new AdoptMtaStsCommand(Domain, Owner.Id, Owner.DisplayName, null), TestActors.Alice);
        var approver = await adoption.PreviewAsync(Domain, TestActors.Bob);

        Assert.Equal((RefusalCode.Invalid, "domain"), (badName.Code, badName.Errors.Single().Field));
        Assert.Equal((RefusalCode.Invalid, "ownerId"), (noOwner.Code, noOwner.Errors.Single().Field));
        Assert.Equal((RefusalCode.Invalid, "There is no team 'no-such-team'; create it on the Teams and zones page first."), (noTeam.Code, noTeam.Message));
        Assert.Equal((RefusalCode.RoleRequired, "Adopting an existing domain needs the Admin role."), (requester.Code, requester.Message));
        Assert.Equal(RefusalCode.RoleRequired, approver.Code);
        await using var db = await database.CreateDbContextAsync();
        Assert.Equal(0, await db.Requests.CountAsync());
    }

    [Fact]
    public async Task The_health_sync_watches_an_adopted_request_that_has_no_target()
    {
        var database = await TestDatabases.SqliteAsync();
        await using var services = Build(database);
        var found = new Core.Adoption.FoundMtaSts(Domain, MtaStsMode.Enforce, 1209600, ["mx1." + Domain], "one", [], []);
        var request = PortalRequest.Adopt(Guid.NewGuid(), Core.Adoption.MtaStsAdoption.Spec(found, null, null), Owner.Id, Owner.DisplayName, null, TestActors.Dana, "found", DateTimeOffset.UtcNow);
        await using (var db = await database.CreateDbContextAsync())
        {
            db.Requests.Add(request);
            await db.SaveChangesAsync();
        }

        var added = await services.GetRequiredService<HealthService>().SyncFromRequestsAsync();

        Assert.Equal(1, added);
        await using var check = await database.CreateDbContextAsync();
        var target = await check.HealthTargets.SingleAsync();
        Assert.Equal((Domain, HealthCheckKind.Mail, (Guid?)request.Id), (target.Name, target.Kind, target.RequestId));
    }

    private ServiceProvider Build(IDbContextFactory<PortalDbContext> database)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(HealthFixtureNetwork.EngineSettings(Network)).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(database)
            .AddLogging()
            .AddPortalHealth()
            .AddPortalHealthMonitoring()
            .AddPortalAdoption()
            .BuildServiceProvider();
    }

    private static async Task AddTeamAsync(IDbContextFactory<PortalDbContext> database, string team)
    {
        await using var db = await database.CreateDbContextAsync();
        db.Teams.Add(new TeamRecord { Id = team, Name = "Mail team", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    private async Task PublishAsync(string domain, string policy)
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone()
            .Txt("_mta-sts." + domain, "v=STSv1; id=one;")
            .Txt("_smtp._tls." + domain, $"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}")
            .Mx(domain, "mx1." + domain, 10)
            .A("mta-sts." + domain, address));
        await Network.StartWebAsync(new WebSite("mta-sts." + domain, address).File(HealthFixtureNetwork.PolicyPath, policy));
    }
}
