using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Approvals;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>
/// A page number so large that page × size does not fit an int is empty, for the request list and the audit log alike;
/// the product used to wrap round to a negative skip, which the database reads as 0, and answer the first page.
/// </summary>
public sealed class PagesBeyondTheRowCountTests
{
    [Theory]
    [InlineData(int.MaxValue, 25)]
    [InlineData(85899346, 25)]
    [InlineData(int.MaxValue / 2 + 1, 2)]
    public async Task A_page_past_the_int_range_is_empty(int page, int pageSize)
    {
        var db = await TestDatabases.SqliteAsync();
        var service = new RequestService(db, new FakeTimeProvider(TestActors.SignedInAt), Options.Create(new ApprovalOptions()));
        Assert.True((await service.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true)).Succeeded);

        var requests = await new RequestQueries(db).ListAsync(new RequestListQuery { Page = page, PageSize = pageSize });
        var audit = await new AuditLogQueries(db).ListAsync(new AuditLogQuery { Page = page, PageSize = pageSize });

        Assert.Equal((1, 2), (requests.TotalCount, audit.TotalCount));
        Assert.Empty(requests.Items);
        Assert.Empty(audit.Items);
    }
}
