using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>
/// The request list's pages are cut by the database: every request appears exactly once across the pages with the
/// right total, and reversing a column's sort reverses the whole list, also among requests with equal values
/// (here all updated at the same instant, and two requesters).
/// </summary>
public sealed class RequestListSortOrderTests
{
    [Theory]
    [InlineData(RequestSortField.UpdatedAt)]
    [InlineData(RequestSortField.Owner)]
    [InlineData(RequestSortField.State)]
    public async Task Pages_cover_every_request_once_and_the_reverse_sort_is_the_list_backwards(RequestSortField sortBy)
    {
        var db = await TestDatabases.SqliteAsync();
        var service = new RequestService(db, new FakeTimeProvider(TestActors.SignedInAt), Options.Create(new ApprovalOptions()));
        for (var i = 0; i < 11; i++)
        {
            var owner = i % 2 == 0 ? TestActors.Alice : TestActors.Rita;
            Assert.True((await service.CreateAsync(TestSpecs.Site($"s{i:D2}.example.com"), owner, submit: i % 3 == 0)).Succeeded);
        }

        var queries = new RequestQueries(db);

        var descending = await AllPagesAsync(queries, sortBy, descending: true);
        var ascending = await AllPagesAsync(queries, sortBy, descending: false);

        Assert.Equal(11, descending.Select(r => r.Id).Distinct().Count());
        Assert.Equal(descending.Select(r => r.Id).Reverse(), ascending.Select(r => r.Id));
    }

    private static async Task<List<RequestSummary>> AllPagesAsync(RequestQueries queries, RequestSortField sortBy, bool descending)
    {
        var rows = new List<RequestSummary>();
        for (var page = 0; ; page++)
        {
            var result = await queries.ListAsync(new RequestListQuery { SortBy = sortBy, Descending = descending, Page = page, PageSize = 4 });
            Assert.Equal(11, result.TotalCount);
            if (result.Items.Count == 0)
            {
                return rows;
            }

            rows.AddRange(result.Items);
        }
    }
}
