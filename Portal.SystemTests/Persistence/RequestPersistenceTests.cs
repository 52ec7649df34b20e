using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>Requests, revisions and audit events survive a round trip through each real database, and concurrent decisions cannot both win.</summary>
public abstract class RequestPersistenceTests
{
    private readonly FakeTimeProvider _clock = new(TestActors.SignedInAt.AddMinutes(2));

    protected abstract Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync();

    [Fact]
    public async Task Request_with_revisions_and_audit_events_round_trips()
    {
        var db = await CreateDatabaseAsync();
        var service = Service(db);
        var created = await service.CreateAsync(TestSpecs.MtaSts(), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        await service.ApplyAsync(created.RequestId, WorkflowAction.StartTestingDeployment, Actor.System);
        await service.ApplyAsync(created.RequestId, WorkflowAction.CompleteTestingDeployment, Actor.System);
        var revised = await service.ReviseAsync(created.RequestId, TestSpecs.MtaSts() with { Mode = MtaStsMode.Testing, MaxAge = 86400 }, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);

        var loaded = await service.GetAsync(created.RequestId);

        Assert.NotNull(loaded);
        Assert.Equal((RequestKind.MtaSts, "example.com", "alice", RequestState.Submitted, 2), (loaded.Kind, loaded.PrimaryName, loaded.OwnerId, loaded.State, loaded.CurrentRevisionNumber));
        Assert.Equal(TestSpecs.MtaSts().Mx, ((MtaStsSpec)loaded.Revisions.Single(r => r.Number == 1).Spec).Mx);
        var current = (MtaStsSpec)loaded.CurrentRevision.Spec;
        Assert.Equal((MtaStsMode.Testing, 86400L), (current.Mode, current.MaxAge));
        Assert.Equal(["Create", "Submit", "StartTestingDeployment", "CompleteTestingDeployment", "Revise"], loaded.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action));
        Assert.All(loaded.AuditEvents, e => Assert.Equal(_clock.GetUtcNow(), e.At));
        Assert.Equal(RequestState.TestingReady, loaded.AuditEvents.Single(e => e.Action == "Revise").FromState);
    }

    [Fact]
    public async Task Two_contexts_saving_the_same_revision_one_wins()
    {
        var db = await CreateDatabaseAsync();
        var id = await AwaitingApprovalAsync(db);
        await using var first = await db.CreateDbContextAsync();
        await using var second = await db.CreateDbContextAsync();
        var a = await first.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).SingleAsync(r => r.Id == id);
        var b = await second.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).SingleAsync(r => r.Id == id);

        Assert.True(a.Apply(WorkflowAction.Promote, TestActors.Bob, null, _clock.GetUtcNow(), TimeSpan.FromMinutes(15)).Allowed);
        Assert.True(b.Apply(WorkflowAction.Reject, TestActors.Carol, "Wrong zone", _clock.GetUtcNow(), TimeSpan.FromMinutes(15)).Allowed);
        await first.SaveChangesAsync();

        // Either guard may fire first: the version check on the request or the unique audit sequence.
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => second.SaveChangesAsync());
        var stored = await Service(db).GetAsync(id);
        Assert.Equal(RequestState.Approved, stored!.State);
        Assert.DoesNotContain(stored.AuditEvents, e => e.Action == "Reject");
    }

    [Fact]
    public async Task Two_approvals_at_once_give_one_success_and_one_clear_refusal()
    {
        var db = await CreateDatabaseAsync();
        for (var round = 0; round < 5; round++)
        {
            var id = await AwaitingApprovalAsync(db, $"site{round}.example.com");
            var service = Service(db);

            var results = await Task.WhenAll(
                Task.Run(() => service.ApplyAsync(id, WorkflowAction.Promote, TestActors.Bob)),
                Task.Run(() => service.ApplyAsync(id, WorkflowAction.Promote, TestActors.Carol)));

            Assert.Single(results, r => r.Succeeded);
            var refused = Assert.Single(results, r => !r.Succeeded);
            Assert.Contains(refused.Code, new RefusalCode?[] { RefusalCode.Conflict, RefusalCode.NotAllowedInState });
            Assert.False(string.IsNullOrWhiteSpace(refused.Message));
            var stored = await service.GetAsync(id);
            Assert.Single(stored!.AuditEvents, e => e.Action == "Promote");
        }
    }

    [Fact]
    public async Task Acting_on_a_version_the_person_did_not_see_is_refused()
    {
        var db = await CreateDatabaseAsync();
        var id = await AwaitingApprovalAsync(db);
        var service = Service(db);
        var seen = (await service.GetAsync(id))!.Version;
        await service.ReviseAsync(id, TestSpecs.Site() with { Csp = "default-src 'none'" }, TestActors.Alice);

        var result = await service.ApplyAsync(id, WorkflowAction.Promote, TestActors.Bob, expectedVersion: seen);

        Assert.Equal(RefusalCode.Conflict, result.Code);
        Assert.Equal("Someone else changed this request at the same time. Reload it to see its current state, then try again.", result.Message);
    }

    [Fact]
    public async Task A_second_active_request_for_the_same_name_is_refused_until_the_first_is_withdrawn()
    {
        var db = await CreateDatabaseAsync();
        var service = Service(db);
        var first = await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false);

        var duplicate = await service.CreateAsync(TestSpecs.Site(), TestActors.Rita, submit: false);
        Assert.Equal(["'docs.example.com' already belongs to another request."], duplicate.Errors.Select(e => e.Message));
        var mailDomainOfSameName = await service.CreateAsync(TestSpecs.MtaSts("docs.example.com"), TestActors.Rita, submit: false);
        Assert.True(mailDomainOfSameName.Succeeded, mailDomainOfSameName.Message);

        await service.ApplyAsync(first.RequestId, WorkflowAction.Withdraw, TestActors.Alice, "Replaced");
        Assert.True((await service.CreateAsync(TestSpecs.Site(), TestActors.Rita, submit: false)).Succeeded);
    }

    [Fact]
    public async Task The_database_refuses_two_active_requests_for_one_name()
    {
        var db = await CreateDatabaseAsync();
        await using var context = await db.CreateDbContextAsync();
        context.Requests.Add(PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Alice, _clock.GetUtcNow()));
        context.Requests.Add(PortalRequest.CreateDraft(Guid.NewGuid(), TestSpecs.Site(), TestActors.Rita, _clock.GetUtcNow()));

        await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());
    }

    [Fact]
    public async Task Audit_events_cannot_be_rewritten()
    {
        var db = await CreateDatabaseAsync();
        var created = await Service(db).CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true);
        await using var context = await db.CreateDbContextAsync();
        var audit = await context.AuditEvents.FirstAsync(e => e.RequestId == created.RequestId);

        context.AuditEvents.Remove(audit);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => context.SaveChangesAsync());
        Assert.Equal("Audit events are append-only; they cannot be changed or deleted.", error.Message);
    }

    private RequestService Service(IDbContextFactory<PortalDbContext> db) =>
        new(db, _clock, Options.Create(new ApprovalOptions()));

    private async Task<Guid> AwaitingApprovalAsync(IDbContextFactory<PortalDbContext> db, string host = "docs.example.com")
    {
        var service = Service(db);
        var created = await service.CreateAsync(TestSpecs.Site(host), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message + string.Join("; ", created.Errors));
        foreach (var (action, actor) in new[]
        {
            (WorkflowAction.StartTestingDeployment, Actor.System),
            (WorkflowAction.CompleteTestingDeployment, Actor.System),
            (WorkflowAction.RequestApproval, TestActors.Alice),
        })
        {
            var result = await service.ApplyAsync(created.RequestId, action, actor);
            Assert.True(result.Succeeded, result.Message);
        }

        return created.RequestId;
    }
}

public sealed class SqliteRequestPersistenceTests : RequestPersistenceTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.SqliteAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRequestPersistenceTests(PostgresServer server) : RequestPersistenceTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.PostgresAsync(server);
}
