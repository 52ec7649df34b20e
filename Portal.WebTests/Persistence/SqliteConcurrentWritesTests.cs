using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>
/// A single portal on its SQLite file writes from many places at once (the engine, health scans, people's pages):
/// concurrent writers wait their turn instead of failing, and readers run beside them (WAL).
/// </summary>
public sealed class SqliteConcurrentWritesTests
{
    [Fact]
    public async Task Many_requests_created_and_listed_at_once_all_succeed_on_the_portals_sqlite_file()
    {
        await using var portal = new PortalFactory();
        var requests = portal.Services.GetRequiredService<RequestService>();
        var queries = portal.Services.GetRequiredService<RequestQueries>();

        var writes = Enumerable.Range(0, 48).Select(i => Task.Run(() => requests.CreateAsync(
            TestSpecs.Site(string.Create(CultureInfo.InvariantCulture, $"site{i}.example.com")) with { RedirectFrom = [] }, TestActors.Alice, submit: i % 2 == 0)));
        var reads = Enumerable.Range(0, 48).Select(_ => Task.Run(async () => (await queries.ListAsync(new RequestListQuery { PageSize = 50 })).TotalCount));
        var created = await Task.WhenAll(writes);
        await Task.WhenAll(reads);

        Assert.All(created, c => Assert.True(c.Succeeded, c.Message));
        var db = portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var ctx = await db.CreateDbContextAsync();
        Assert.Equal(48, await ctx.Requests.CountAsync());
        var connection = ctx.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
