using System.Net;
using System.Text;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>Whatever a script sends, a bad body is a 400 problem naming the field, never a 500.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiBadBodyTests(ApiPortal api)
{
    public static TheoryData<string, string> BadSpecs => new()
    {
        { "", "$" },
        { "   ", "$" },
        { "not json", "$" },
        { "{", "$" },
        { "[]", "$" },
        { "null", "$" },
        { "42", "$" },
        { "\"site\"", "$" },
        { "{}", "kind" },
        { "{\"kind\":\"ftp\",\"host\":\"a.example.com\"}", "kind" },
        { "{\"kind\":7}", "kind" },
        { "{\"kind\":\"site\"}", "host" },
        { "{\"kind\":\"site\",\"host\":null}", "host" },
        { "{\"kind\":\"site\",\"host\":42}", "host" },
        { "{\"kind\":\"site\",\"host\":\"bad host!\",\"hostedZoneId\":\"Z1\"}", "host" },
        { "{\"kind\":\"site\",\"host\":\"x.example.com\",\"colour\":\"blue\"}", "colour" },
        { "{\"kind\":\"site\",\"host\":\"x.example.com\",\"redirectFrom\":\"www.x.example.com\"}", "redirectFrom" },
        { "{\"kind\":\"site\",\"host\":\"x.example.com\",\"redirectFrom\":[null]}", "redirectFrom[0]" },
        { "{\"kind\":\"mta-sts\",\"domain\":\"example.com\",\"mode\":\"loud\"}", "mode" },
        { "{\"kind\":\"mta-sts\",\"domain\":\"example.com\",\"maxAge\":\"soon\"}", "maxAge" },
        { "{\"kind\":\"mta-sts\",\"domain\":\"example.com\",\"maxAge\":1e400}", "maxAge" },
        { "{\"kind\":\"mta-sts\",\"domain\":\"example.com\",\"mx\":{}}", "mx" },
        { new string('[', 5000) + new string(']', 5000), "$" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public async Task A_bad_request_body_is_a_problem_naming_the_field(string body, string field)
    {
        using var client = await RequesterAsync();
        var problem = await FieldProblemAsync(await PostAsync(client, "/api/v1/requests", JsonBody(body)), field);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("not json", "$")]
    [InlineData("[1,2]", "$")]
    [InlineData("{\"reason\":42}", "reason")]
    [InlineData("{\"expectedVersion\":\"three\"}", "expectedVersion")]
    [InlineData("{\"expectedVersion\":-1}", "expectedVersion")]
    [InlineData("{\"because\":\"x\"}", "because")]
    public async Task A_bad_action_body_is_a_problem_naming_the_field(string body, string field)
    {
        using var client = await RequesterAsync();
        await FieldProblemAsync(await PostAsync(client, $"/api/v1/requests/{Guid.NewGuid()}/actions/withdraw", JsonBody(body)), field);
    }

    [Fact]
    public async Task Bodies_that_are_not_utf8_or_too_large_are_refused_as_problems()
    {
        using var client = await RequesterAsync();
        using var latin1 = new ByteArrayContent([0x7b, 0x22, 0xe9, 0xff, 0x22, 0x7d]);
        latin1.Headers.ContentType = new("application/json");
        await FieldProblemAsync(await PostAsync(client, "/api/v1/requests", latin1), "$");

        using var huge = new StringContent("{\"kind\":\"site\",\"host\":\"" + new string('a', 300_000) + "\"}", Encoding.UTF8, "application/json");
        using var response = await PostAsync(client, "/api/v1/requests", huge);
        var problem = await ReadAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
    }

    private async Task<HttpClient> RequesterAsync()
    {
        const string email = "bodies@example.test";
        if (!api.HasUser(email))
        {
            await api.UserAsync(email, "Bea Bodies", Core.Workflow.PortalRole.Requester);
        }

        return api.Client(await api.CachedTokenAsync(email));
    }
}
