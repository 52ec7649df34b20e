using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>Content versions on each real database: manifests round-trip, numbers are unique per site, history cannot be rewritten, promotion pins the version.</summary>
public abstract class ContentVersionPersistenceTests
{
    private readonly FakeTimeProvider _clock = new(TestActors.SignedInAt.AddMinutes(2));

    protected abstract Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync();

    [Fact]
    public async Task A_version_with_its_manifest_and_audit_event_round_trips_and_promotion_pins_it()
    {
        var db = await CreateDatabaseAsync();
        var id = await AwaitingApprovalAsync(db);
        var files = new[]
        {
            new ContentFile("index.html", 13, new string('a', 64), "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo", "text/html; charset=utf-8", "max-age=43200"),
            new ContentFile("naïve/ünïcode file.css", 0, new string('b', 64), "null", "text/css; charset=utf-8", null),
        };
        var versionId = await RecordAsync(db, id, 1, files);

        var promoted = await Service(db).ApplyAsync(id, WorkflowAction.Promote, TestActors.Bob);

        Assert.True(promoted.Succeeded, promoted.Message);
        await using var ctx = await db.CreateDbContextAsync();
        var stored = await ctx.ContentVersions.SingleAsync(v => v.Id == versionId);
        Assert.Equal(files.OrderBy(f => f.Path, StringComparer.Ordinal), stored.Files);
        Assert.Equal((1, 2, 13L, ContentSource.Upload), (stored.Number, stored.FileCount, stored.TotalBytes, stored.Source));
        var request = await ctx.Requests.Include(r => r.AuditEvents).SingleAsync(r => r.Id == id);
        Assert.Equal((versionId, 1), (request.ApprovedContentVersionId, request.ApprovedContentVersionNumber));
        Assert.Equal(["PublishContent", "Promote"], request.AuditEvents.OrderBy(e => e.Sequence).TakeLast(2).Select(e => e.Action));
        Assert.Equal("Content version 1", request.AuditEvents.Single(e => e.Action == "Promote").Reason);
    }

    [Fact]
    public async Task Two_versions_cannot_take_the_same_number()
    {
        var db = await CreateDatabaseAsync();
        var id = await AwaitingApprovalAsync(db);
        await RecordAsync(db, id, 1, [new ContentFile("a.html", 1, new string('a', 64), "v1", "text/html", null)]);

        await using var ctx = await db.CreateDbContextAsync();
        ctx.ContentVersions.Add(ContentVersion.Create(Guid.NewGuid(), id, 1, 1, ContentSource.Api, TestActors.Alice, _clock.GetUtcNow(), [], "", ContentDiff.None, null, null, null));
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => ctx.SaveChangesAsync());
    }

    [Fact]
    public async Task A_recorded_version_cannot_be_changed_or_deleted()
    {
        var db = await CreateDatabaseAsync();
        var id = await AwaitingApprovalAsync(db);
        var versionId = await RecordAsync(db, id, 1, [new ContentFile("a.html", 1, new string('a', 64), "v1", "text/html", null)]);

        await using var ctx = await db.CreateDbContextAsync();
        var version = await ctx.ContentVersions.SingleAsync(v => v.Id == versionId);
        ctx.Entry(version).Property(v => v.ManifestJson).CurrentValue = "[]";
        Assert.Equal("Content versions are append-only; they cannot be changed or deleted.",
            (await Assert.ThrowsAsync<InvalidOperationException>(() => ctx.SaveChangesAsync())).Message);

        ctx.ChangeTracker.Clear();
        ctx.ContentVersions.Remove(await ctx.ContentVersions.SingleAsync(v => v.Id == versionId));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ctx.SaveChangesAsync());
    }

    private async Task<Guid> RecordAsync(IDbContextFactory<PortalDbContext> db, Guid requestId, int number, ContentFile[] files)
    {
        await using var ctx = await db.CreateDbContextAsync();
        var request = await ctx.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).SingleAsync(r => r.Id == requestId);
        var version = ContentVersion.Create(Guid.CreateVersion7(), requestId, number, 1, ContentSource.Upload, TestActors.Alice, _clock.GetUtcNow(), files, new string('c', 64), ContentDiff.Between(null, files), "E2QWRUHAPOMQZL", "I2J0I21PCUYOIK", "portal-site-testing-docs-example-com-contentbucket-abcdefabcdef");
        Assert.True(request.RecordContentVersion(TestActors.Alice, number, "summary", readFromTesting: false, _clock.GetUtcNow()).Allowed);
        ctx.ContentVersions.Add(version);
        await ctx.SaveChangesAsync();
        return version.Id;
    }

    private RequestService Service(IDbContextFactory<PortalDbContext> db) => new(db, _clock, Options.Create(new ApprovalOptions()));

    private async Task<Guid> AwaitingApprovalAsync(IDbContextFactory<PortalDbContext> db)
    {
        var service = Service(db);
        var created = await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        foreach (var (action, actor) in new[] { (WorkflowAction.StartTestingDeployment, Actor.System), (WorkflowAction.CompleteTestingDeployment, Actor.System), (WorkflowAction.RequestApproval, TestActors.Alice) })
        {
            Assert.True((await service.ApplyAsync(created.RequestId, action, actor)).Succeeded);
        }

        return created.RequestId;
    }
}

public sealed class SqliteContentVersionPersistenceTests : ContentVersionPersistenceTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.SqliteAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresContentVersionPersistenceTests(PostgresServer server) : ContentVersionPersistenceTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.PostgresAsync(server);
}
