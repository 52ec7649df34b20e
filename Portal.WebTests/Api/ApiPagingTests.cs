using System.Net;
using Portal.Tests.Identity;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// A page beyond what the row count can reach is refused with a problem naming <c>page</c> (it used to wrap round to
/// the first page), and page sizes below 1 are refused naming <c>pageSize</c>.
/// </summary>
public sealed class ApiPagingTests
{
    [Theory]
    [InlineData("page=2147483647", "page")]
    [InlineData("page=85899346&pageSize=25", "page")]
    [InlineData("page=10737419&pageSize=200", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=-5", "pageSize")]
    public async Task A_page_outside_the_possible_range_is_refused_naming_the_parameter(string query, string field)
    {
        await using var portal = new LivePortal();
        using var client = ApiTokens.Client(portal, Persona.Requester);

        await FieldProblemAsync(await client.GetAsync(new Uri("/api/v1/requests?" + query, UriKind.Relative)), field);
    }

    [Fact]
    public async Task The_last_page_the_row_count_can_reach_is_answered_and_empty()
    {
        await using var portal = new LivePortal();
        using var client = ApiTokens.Client(portal, Persona.Requester);

        var page = await ReadAsync(await client.GetAsync(new Uri("/api/v1/requests?page=85899345&pageSize=25", UriKind.Relative)), HttpStatusCode.OK);

        Assert.Equal(85899345, page.GetProperty("page").GetInt32());
        Assert.Empty(page.GetProperty("items").EnumerateArray());
    }
}
