using System.Net;
using Portal.Core.Workflow;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// GET /api/v1/health/{name}: the latest stored check of a watched name, or (run=true) a check run now and stored.
/// The resolver is a loopback port where nobody answers, so the check fails without any traffic leaving the machine.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiHealthTests(ApiPortal api)
{
    [Fact]
    public async Task Health_runs_a_check_on_request_and_then_returns_the_stored_result()
    {
        await api.UserAsync("health-req@example.test", "Hal Health", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("health-req@example.test"));

        await ProblemAsync(await client.GetAsync("/api/v1/health/unwatched.example.com?kind=mail"), HttpStatusCode.NotFound, "not-found");
        await FieldProblemAsync(await client.GetAsync("/api/v1/health/example.com?kind=ftp"), "kind");
        await FieldProblemAsync(await client.GetAsync("/api/v1/health/example.com"), "kind");
        await FieldProblemAsync(await client.GetAsync("/api/v1/health/bad_name!?kind=site"), "name");

        var ran = await ReadAsync(await client.GetAsync("/api/v1/health/Mail.Example.com.?kind=mail&run=true"), HttpStatusCode.OK);
        Assert.Equal("mail.example.com", ran.GetProperty("name").GetString());
        Assert.Equal("mail", ran.GetProperty("kind").GetString());
        Assert.Equal("error", ran.GetProperty("worst").GetString());
        Assert.NotEmpty(ran.GetProperty("findings").EnumerateArray());

        var stored = await ReadAsync(await client.GetAsync("/api/v1/health/mail.example.com?kind=mail"), HttpStatusCode.OK);
        // The database keeps milliseconds.
        Assert.Equal(ran.GetProperty("checkedAt").GetDateTimeOffset(), stored.GetProperty("checkedAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(
            ran.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Order(),
            stored.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Order());
    }
}
