using Portal.Core.Text;
using Portal.Core.Workflow;
using Portal.Tests.Api;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Security;

/// <summary>The request list's search text has the same limit as the search box: longer is a 400 naming it.</summary>
public sealed class ApiSearchLimitTests(ApiPortal api) : IClassFixture<ApiPortal>
{
    [Fact]
    public async Task A_search_over_the_limit_is_a_problem_naming_search()
    {
        await api.UserAsync("search-limit@example.test", "Sam Search", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("search-limit@example.test"));

        var problem = await FieldProblemAsync(
            await client.GetAsync(new Uri("/api/v1/requests?search=" + new string('a', FreeText.MaxSearchLength + 1), UriKind.Relative)), "search");

        Assert.Contains($"at most {FreeText.MaxSearchLength}", problem.GetProperty("errors").GetProperty("search")[0].GetString(), StringComparison.Ordinal);
        await ReadAsync(await client.GetAsync(new Uri("/api/v1/requests?search=" + new string('a', FreeText.MaxSearchLength), UriKind.Relative)), System.Net.HttpStatusCode.OK);
    }
}
