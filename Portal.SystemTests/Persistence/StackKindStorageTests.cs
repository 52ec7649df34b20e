using Microsoft.EntityFrameworkCore;
using Portal.Core.Deployments;
using Portal.Core.Templates;
using Portal.Infrastructure.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>
/// A stack's kind is a <see cref="StackKind"/> in the code and its name in the database (<c>shared</c>, <c>site</c>,
/// <c>redirect</c>, <c>mta-sts</c>), the same text earlier portals stored, so rows they wrote read back unchanged.
/// </summary>
public abstract class StackKindStorageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    protected abstract Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync();

    [Fact]
    public async Task Kinds_are_stored_by_their_names_and_read_and_queried_as_the_enum()
    {
        var db = await CreateDatabaseAsync();
        await using (var ctx = await db.CreateDbContextAsync())
        {
            var run = new DeploymentRun
            {
                Id = Guid.NewGuid(), RequestId = Guid.NewGuid(), Revision = 1, RequestVersion = 1, Action = RunAction.Deploy,
                Status = RunStatus.Succeeded, CreatedAt = Now, UpdatedAt = Now, NextCheckAt = Now,
            };
            foreach (var (kind, i) in TemplateLibrary.Kinds.Select((k, i) => (k, i)))
            {
                run.Stacks.Add(new StackOperation
                {
                    Id = Guid.NewGuid(), RunId = run.Id, Sequence = i, StackName = $"stack-{i}", Region = "us-east-1", Kind = kind,
                    TemplateBody = "{}", NextCheckAt = Now, StartedAt = Now, UpdatedAt = Now,
                });
                ctx.Stacks.Add(new TrackedStack { Id = Guid.NewGuid(), StackName = $"stack-{i}", Region = "us-east-1", Kind = kind });
            }

            ctx.DeploymentRuns.Add(run);
            await ctx.SaveChangesAsync();
        }

        await using (var ctx = await db.CreateDbContextAsync())
        {
            string[] names = ["headers", "mta-sts", "redirect", "shared", "site"];
            Assert.Equal(names, (await ctx.Database.SqlQueryRaw<string>("SELECT \"Kind\" AS \"Value\" FROM stacks").ToListAsync()).Order(StringComparer.Ordinal));
            Assert.Equal(names, (await ctx.Database.SqlQueryRaw<string>("SELECT \"Kind\" AS \"Value\" FROM stack_operations").ToListAsync()).Order(StringComparer.Ordinal));

            Assert.Equal(TemplateLibrary.Kinds.Order(), (await ctx.Stacks.Select(s => s.Kind).ToListAsync()).Order());
            Assert.Equal("stack-3", await ctx.Stacks.Where(s => s.Kind == StackKind.MtaSts).Select(s => s.StackName).SingleAsync());
            Assert.Equal(TemplateLibrary.Kinds.Count - 1, await ctx.StackOperations.CountAsync(o => o.Kind != StackKind.Shared));
        }
    }

    [Fact]
    public async Task A_row_written_with_the_kind_as_text_reads_back_as_its_kind()
    {
        var db = await CreateDatabaseAsync();
        await using (var ctx = await db.CreateDbContextAsync())
        {
            ctx.Stacks.Add(new TrackedStack { Id = Guid.NewGuid(), StackName = "portal-mta-sts-testing-example-com", Region = "us-east-1", Kind = StackKind.Site });
            await ctx.SaveChangesAsync();

            // As an earlier portal, whose Kind was a string, wrote it.
            await ctx.Database.ExecuteSqlRawAsync("UPDATE stacks SET \"Kind\" = 'mta-sts'");
        }

        await using (var read = await db.CreateDbContextAsync())
        {
            Assert.Equal(StackKind.MtaSts, (await read.Stacks.SingleAsync()).Kind);
        }
    }
}

public sealed class SqliteStackKindStorageTests : StackKindStorageTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.SqliteAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStackKindStorageTests(PostgresServer server) : StackKindStorageTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.PostgresAsync(server);
}
