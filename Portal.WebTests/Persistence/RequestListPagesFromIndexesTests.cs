using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Data;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>
/// A page of the request list, in each order the table offers, and the dashboard's recent requests are read from an
/// index in that order: the database stops after the page instead of sorting every request (SQLite's query plan has
/// no temporary sort). The plan is asked for the exact statement the query service sends.
/// </summary>
public sealed class RequestListPagesFromIndexesTests
{
    [Theory]
    [InlineData(RequestSortField.UpdatedAt, true)]
    [InlineData(RequestSortField.UpdatedAt, false)]
    [InlineData(RequestSortField.Name, false)]
    [InlineData(RequestSortField.Name, true)]
    [InlineData(RequestSortField.State, false)]
    [InlineData(RequestSortField.State, true)]
    [InlineData(RequestSortField.Owner, false)]
    [InlineData(RequestSortField.Owner, true)]
    public async Task A_page_in_each_table_order_needs_no_sort(RequestSortField sortBy, bool descending)
    {
        var (queries, plans) = await SeededAsync();

        await queries.ListAsync(new RequestListQuery { SortBy = sortBy, Descending = descending, PageSize = 25 });

        var page = Assert.Single(plans, p => p.Sql.Contains("ORDER BY", StringComparison.Ordinal));
        Assert.DoesNotContain(page.Plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dashboards_recent_requests_need_no_sort()
    {
        var (queries, plans) = await SeededAsync();

        await queries.RecentAsync(20);

        var recent = Assert.Single(plans);
        Assert.DoesNotContain(recent.Plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    private static async Task<(RequestQueries Queries, List<(string Sql, List<string> Plan)> Plans)> SeededAsync()
    {
        var plans = new List<(string Sql, List<string> Plan)>();
        var folder = Directory.CreateTempSubdirectory("portal-sqlite-").FullName;
        var options = new DbContextOptionsBuilder<SqlitePortalDbContext>()
            .UseSqlite($"Data Source={Path.Combine(folder, "portal.db")};Pooling=False")
            .AddInterceptors(new QueryPlans(plans))
            .Options;
        var db = new Factory(() => new SqlitePortalDbContext(options));
        await using (var migrating = db.CreateDbContext())
        {
            await migrating.Database.MigrateAsync();
        }

        var service = new RequestService(db, new FakeTimeProvider(TestActors.SignedInAt), Options.Create(new ApprovalOptions()));
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await service.CreateAsync(TestSpecs.Site($"p{i}.example.com"), TestActors.Alice, submit: i == 0)).Succeeded);
        }

        plans.Clear();
        return (new RequestQueries(db), plans);
    }

    /// <summary>Before each query the app sends, asks SQLite how it would run it, with the same parameters.</summary>
    private sealed class QueryPlans(List<(string Sql, List<string> Plan)> plans) : DbCommandInterceptor
    {
        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.StartsWith("SELECT", StringComparison.Ordinal))
            {
                await using var explain = command.Connection!.CreateCommand();
                explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
                foreach (DbParameter parameter in command.Parameters)
                {
                    var copy = explain.CreateParameter();
                    copy.ParameterName = parameter.ParameterName;
                    copy.Value = parameter.Value;
                    explain.Parameters.Add(copy);
                }

                var steps = new List<string>();
                await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        steps.Add(reader.GetString(3));
                    }
                }

                plans.Add((command.CommandText, steps));
            }

            return result;
        }
    }

    private sealed class Factory(Func<PortalDbContext> create) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => create();
    }
}
