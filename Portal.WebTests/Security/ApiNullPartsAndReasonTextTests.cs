using System.Text;
using Portal.Core.Workflow;
using Portal.Tests.Api;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Security;

/// <summary>
/// The penetration test's reproductions: <c>null</c> for a list or a list element in a request body, and an action
/// reason that is a lone surrogate or 250 KB long, each once answered 500 or was stored; now each is a 400 problem
/// naming the field.
/// </summary>
public sealed class ApiNullPartsAndReasonTextTests(ApiPortal api) : IClassFixture<ApiPortal>
{
    private const string Site = "\"kind\":\"site\",\"host\":\"nulls.example.com\",\"hostedZoneId\":\"Z0123456789ABC\",\"hostedZoneName\":\"example.com\"";
    private const string Mta = "\"kind\":\"mta-sts\",\"domain\":\"nulls.example.org\",\"mx\":[\"mx1.nulls.example.org\"]";

    public static TheoryData<string, string> NullParts => new()
    {
        { "{" + Site + ",\"environments\":null}", "environments" },
        { "{" + Site + ",\"redirectFrom\":null}", "redirectFrom" },
        { "{" + Site + ",\"cacheRules\":null}", "cacheRules" },
        { "{" + Site + ",\"cacheRules\":[null]}", "cacheRules[0]" },
        { "{\"kind\":\"mta-sts\",\"domain\":\"nulls.example.org\",\"mx\":null}", "mx" },
        { "{" + Mta + ",\"tlsRptRua\":null}", "tlsRptRua" },
    };

    [Theory]
    [MemberData(nameof(NullParts))]
    public async Task A_null_list_or_element_is_a_400_naming_it(string body, string field)
    {
        using var client = await ClientAsync("nulls-requester@example.test", PortalRole.Requester);

        await FieldProblemAsync(await PostAsync(client, "/api/v1/requests", JsonBody(body)), field);
    }

    [Theory]
    [InlineData("{\"reason\":\"\\ud800\"}")]
    [InlineData("{\"reason\":\"why \\udc00 not\"}")]
    [InlineData("{\"reason\":\"bell \\u0007\"}")]
    public async Task A_reason_that_is_not_text_is_a_400_naming_the_reason(string body)
    {
        using var owner = await ClientAsync("nulls-requester@example.test", PortalRole.Requester);
        var id = await DraftAsync(owner);

        await FieldProblemAsync(await PostAsync(owner, $"/api/v1/requests/{id}/actions/withdraw", JsonBody(body)), "reason");
        Assert.Equal("draft", State(await ReadAsync(await owner.GetAsync(new Uri($"/api/v1/requests/{id}", UriKind.Relative)), System.Net.HttpStatusCode.OK)));
    }

    [Fact]
    public async Task A_250_KB_reason_is_refused_and_not_stored()
    {
        using var owner = await ClientAsync("nulls-requester@example.test", PortalRole.Requester);
        var id = await DraftAsync(owner);
        var body = "{\"reason\":\"" + new string('x', 250 * 1000) + "\"}";

        var problem = await FieldProblemAsync(await PostAsync(owner, $"/api/v1/requests/{id}/actions/withdraw", new StringContent(body, Encoding.UTF8, "application/json")), "reason");

        Assert.Contains("at most 2000", problem.GetProperty("errors").GetProperty("reason")[0].GetString(), StringComparison.Ordinal);
        var request = await ReadAsync(await owner.GetAsync(new Uri($"/api/v1/requests/{id}", UriKind.Relative)), System.Net.HttpStatusCode.OK);
        Assert.Equal("draft", State(request));
        Assert.DoesNotContain(request.GetProperty("events").EnumerateArray(), e => e.GetProperty("reason").GetString() is { Length: > 2000 });
    }

    private async Task<HttpClient> ClientAsync(string email, PortalRole role)
    {
        if (!api.HasUser(email))
        {
            await api.UserAsync(email, "Nora Nulls", role);
        }

        return api.Client(await api.CachedTokenAsync(email));
    }

    private static async Task<Guid> DraftAsync(HttpClient owner)
    {
        var host = $"r{Guid.NewGuid():N}"[..12] + ".example.com";
        var body = "{\"kind\":\"site\",\"host\":\"" + host + "\",\"hostedZoneId\":\"Z0123456789ABC\",\"hostedZoneName\":\"example.com\"}";
        return Id(await ReadAsync(await PostAsync(owner, "/api/v1/requests", JsonBody(body)), System.Net.HttpStatusCode.Created));
    }
}
