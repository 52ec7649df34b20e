using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Requests;

/// <summary>The request table's filters, sorting and paging, run by each real database.</summary>
public abstract class RequestListQueryTests
{
    protected abstract Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync();

    [Fact]
    public async Task Filters_sort_and_pages_in_the_database()
    {
        var db = await CreateDatabaseAsync();
        var clock = new FakeTimeProvider(TestActors.SignedInAt);
        var service = new RequestService(db, clock, Options.Create(new ApprovalOptions()));
        for (var i = 0; i < 30; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var owner = i % 3 == 0 ? TestActors.Rita : TestActors.Alice;
            var spec = i % 2 == 0 ? (RequestSpec)TestSpecs.Site($"s{i:D2}.example.com") : TestSpecs.MtaSts($"m{i:D2}.example.com");
            Assert.True((await service.CreateAsync(spec, owner, submit: i % 5 == 0)).Succeeded);
        }

        var queries = new RequestQueries(db);

        var firstPage = await queries.ListAsync(new RequestListQuery { PageSize = 7 });
        Assert.Equal((30, 7), (firstPage.TotalCount, firstPage.Items.Count));
        Assert.Equal("m29.example.com", firstPage.Items[0].Name);
        var lastPage = await queries.ListAsync(new RequestListQuery { PageSize = 7, Page = 4 });
        Assert.Equal(["m01.example.com", "s00.example.com"], lastPage.Items.Select(r => r.Name));

        var sites = await queries.ListAsync(new RequestListQuery { Kind = RequestKind.Site, SortBy = RequestSortField.Name, Descending = false, PageSize = 100 });
        Assert.Equal(15, sites.TotalCount);
        Assert.Equal(sites.Items.Select(r => r.Name).Order(StringComparer.Ordinal), sites.Items.Select(r => r.Name));

        var submitted = await queries.ListAsync(new RequestListQuery { States = [RequestState.Submitted] });
        Assert.Equal(6, submitted.TotalCount);

        var ritas = await queries.ListAsync(new RequestListQuery { OwnerId = "rita", PageSize = 100 });
        Assert.Equal(10, ritas.TotalCount);
        Assert.All(ritas.Items, r => Assert.Equal("Rita Requester", r.OwnerName));

        var search = await queries.ListAsync(new RequestListQuery { Search = " S1" });
        Assert.Equal(["s18.example.com", "s16.example.com", "s14.example.com", "s12.example.com", "s10.example.com"], search.Items.Select(r => r.Name));

        var byOwner = await queries.ListAsync(new RequestListQuery { Search = "rita", PageSize = 100 });
        Assert.Equal(10, byOwner.TotalCount);
    }

    [Fact]
    public async Task Out_of_range_paging_is_clamped_not_an_error()
    {
        var queries = new RequestQueries(await CreateDatabaseAsync());

        var page = await queries.ListAsync(new RequestListQuery { Page = -3, PageSize = 100_000 });

        Assert.Equal((0, RequestListQuery.MaxPageSize, 0), (page.Page, page.PageSize, page.TotalCount));
    }
}

public sealed class SqliteRequestListQueryTests : RequestListQueryTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.SqliteAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRequestListQueryTests(PostgresServer server) : RequestListQueryTests
{
    protected override Task<IDbContextFactory<PortalDbContext>> CreateDatabaseAsync() => TestDatabases.PostgresAsync(server);
}
