using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// Withdraw (like reject and decommission) takes a reason through the API as on the page: without one it is a 400 that
/// names the reason field and changes nothing; with one, the reason is stored trimmed and read back in the events.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiDestructiveActionReasonTests(ApiPortal api)
{
    [Fact]
    public async Task Withdraw_without_a_reason_is_a_400_on_the_reason_and_with_one_it_is_recorded()
    {
        await api.UserAsync("reason-req@example.test", "Rea Reason", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("reason-req@example.test"));
        var created = await ReadAsync(await PostAsync(client, "/api/v1/requests?submit=true", JsonBody(TestSpecs.Site("reason.example.com"))), HttpStatusCode.Created);

        var missing = await FieldProblemAsync(await ActAsync(client, Id(created), "withdraw"), "reason");
        Assert.Equal("Withdraw needs a reason.", missing.GetProperty("errors").GetProperty("reason")[0].GetString());
        await FieldProblemAsync(await ActAsync(client, Id(created), "withdraw", new { reason = "   " }), "reason");
        var service = api.Portal.Services.GetRequiredService<RequestService>();
        Assert.Equal(RequestState.Submitted, (await service.GetAsync(Id(created)))!.State);

        var withdrawn = await ReadAsync(await ActAsync(client, Id(created), "withdraw", new { reason = "  Merged into docs.example.com.  " }), HttpStatusCode.OK);

        Assert.Equal("withdrawn", State(withdrawn));
        var withdrawEvent = withdrawn.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("action").GetString() == "Withdraw");
        Assert.Equal("Merged into docs.example.com.", withdrawEvent.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Submitting_an_unfinished_draft_is_a_400_naming_the_fields_to_fill_in()
    {
        await api.UserAsync("reason-draft@example.test", "Dora Draft", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("reason-draft@example.test"));
        var draft = await ReadAsync(await PostAsync(client, "/api/v1/requests", JsonBody(new SiteSpec { Host = "draft-only.example.com" })), HttpStatusCode.Created);
        Assert.Equal("draft", State(draft));

        await FieldProblemAsync(await ActAsync(client, Id(draft), "submit"), "hostedZoneId");
    }
}
