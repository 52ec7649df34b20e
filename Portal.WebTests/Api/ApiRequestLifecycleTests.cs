using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>A requester's script creates, lists, reads, revises and withdraws requests through /api/v1 with a real bearer token.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiRequestLifecycleTests(ApiPortal api)
{
    [Fact]
    public async Task Create_list_read_revise_and_act_with_optimistic_concurrency()
    {
        await api.UserAsync("life-req@example.test", "Lia Lifecycle", PortalRole.Requester);
        await api.UserAsync("life-other@example.test", "Otto Other", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("life-req@example.test"));
        using var other = api.Client(await api.TokenAsync("life-other@example.test"));

        // Create a draft, then a submitted request.
        using var created = await PostAsync(client, "/api/v1/requests", JsonBody(TestSpecs.Site("life.example.com")));
        var draft = await ReadAsync(created, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/requests/{Id(draft)}", created.Headers.Location!.OriginalString);
        Assert.Equal("draft", State(draft));
        Assert.Equal("\"0\"", created.Headers.ETag!.Tag);
        Assert.Equal("life.example.com", draft.GetProperty("spec").GetProperty("host").GetString());
        using var submittedResponse = await PostAsync(client, "/api/v1/requests?submit=true", JsonBody(TestSpecs.MtaSts("life-mail.example.com")));
        var submitted = await ReadAsync(submittedResponse, HttpStatusCode.Created);
        Assert.Equal("submitted", State(submitted));
        Assert.Equal(["Create", "Submit"], submitted.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()));

        // Someone else's request, for the owner=me filter.
        using var othersResponse = await PostAsync(other, "/api/v1/requests", JsonBody(TestSpecs.Site("life-other.example.com")));
        await ReadAsync(othersResponse, HttpStatusCode.Created);

        var mine = await ReadAsync(await client.GetAsync("/api/v1/requests?owner=me&search=life"), HttpStatusCode.OK);
        Assert.Equal(2, mine.GetProperty("totalCount").GetInt32());
        Assert.Equal(["life-mail.example.com", "life.example.com"], Names(mine).Order());
        var all = await ReadAsync(await client.GetAsync("/api/v1/requests?search=life"), HttpStatusCode.OK);
        Assert.Equal(3, all.GetProperty("totalCount").GetInt32());
        var sites = await ReadAsync(await client.GetAsync("/api/v1/requests?search=life&kind=site&state=draft"), HttpStatusCode.OK);
        Assert.Equal(["life-other.example.com", "life.example.com"], Names(sites).Order());
        var paged = await ReadAsync(await client.GetAsync("/api/v1/requests?search=life&pageSize=2&page=1"), HttpStatusCode.OK);
        Assert.Single(paged.GetProperty("items").EnumerateArray());
        Assert.Equal(1, paged.GetProperty("page").GetInt32());
        await FieldProblemAsync(await client.GetAsync("/api/v1/requests?state=nonsense"), "state");
        await FieldProblemAsync(await client.GetAsync("/api/v1/requests?kind=web"), "kind");
        await FieldProblemAsync(await client.GetAsync("/api/v1/requests?pageSize=0"), "pageSize");

        // Read one: state, revisions, events, runs, the caller's actions.
        var read = await ReadAsync(await client.GetAsync($"/api/v1/requests/{Id(draft)}"), HttpStatusCode.OK);
        Assert.Single(read.GetProperty("revisions").EnumerateArray());
        Assert.Empty(read.GetProperty("runs").EnumerateArray());
        Assert.Contains("submit", read.GetProperty("availableActions").EnumerateArray().Select(a => a.GetString()));
        await ProblemAsync(await client.GetAsync($"/api/v1/requests/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not-found");

        // A draft's revision is edited in place; another person may not.
        var changed = TestSpecs.Site("life.example.com") with { RedirectFrom = [] };
        var edited = await ReadAsync(await PostAsync(client, $"/api/v1/requests/{Id(draft)}/revisions", JsonBody(changed), "\"0\""), HttpStatusCode.OK);
        Assert.Equal(1, edited.GetProperty("version").GetInt32());
        Assert.Empty(edited.GetProperty("spec").GetProperty("redirectFrom").EnumerateArray());
        await ProblemAsync(await PostAsync(other, $"/api/v1/requests/{Id(draft)}/revisions", JsonBody(changed)), HttpStatusCode.Forbidden, "not-owner");
        await FieldProblemAsync(await PostAsync(client, $"/api/v1/requests/{Id(draft)}/revisions", JsonBody(TestSpecs.Site("elsewhere.example.com"))), "$");

        // Optimistic concurrency: a stale If-Match or expectedVersion is a conflict and changes nothing.
        await ProblemAsync(await ActAsync(client, Id(draft), "submit", ifMatch: "\"0\""), HttpStatusCode.Conflict, "conflict");
        await ProblemAsync(await ActAsync(client, Id(draft), "submit", new { expectedVersion = 0 }), HttpStatusCode.Conflict, "conflict");
        await FieldProblemAsync(await ActAsync(client, Id(draft), "submit", ifMatch: "\"two\""), "If-Match");
        var nowSubmitted = await ReadAsync(await ActAsync(client, Id(draft), "submit", ifMatch: "\"1\""), HttpStatusCode.OK);
        Assert.Equal("submitted", State(nowSubmitted));

        // State rules: promote is not for a submitted request, nor for a requester; withdraw is.
        await ProblemAsync(await ActAsync(client, Id(draft), "request-approval"), HttpStatusCode.Conflict, "not-allowed-in-state");
        await ProblemAsync(await ActAsync(other, Id(draft), "withdraw"), HttpStatusCode.Forbidden, "not-owner");
        await FieldProblemAsync(await ActAsync(client, Id(draft), "launch"), "action");
        var withdrawn = await ReadAsync(await ActAsync(client, Id(draft), "withdraw", new { reason = "Replaced by another request.", expectedVersion = 2 }), HttpStatusCode.OK);
        Assert.Equal("withdrawn", State(withdrawn));

        var stored = (await api.Portal.Services.GetRequiredService<RequestService>().GetAsync(Id(draft)))!;
        Assert.Equal(RequestState.Withdrawn, stored.State);
        Assert.Equal(["Create", "EditDraft", "Submit", "Withdraw"], stored.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Action));
    }

    [Fact]
    public async Task A_request_ready_in_testing_gets_a_new_revision_through_the_api()
    {
        await api.UserAsync("rev-req@example.test", "Reva Revision", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("rev-req@example.test"));
        var created = await ReadAsync(await PostAsync(client, "/api/v1/requests?submit=true", JsonBody(TestSpecs.Site("rev.example.com"))), HttpStatusCode.Created);
        var service = api.Portal.Services.GetRequiredService<RequestService>();
        foreach (var action in new[] { WorkflowAction.StartTestingDeployment, WorkflowAction.CompleteTestingDeployment })
        {
            Assert.True((await service.ApplyAsync(Id(created), action, Actor.System)).Succeeded);
        }

        var revised = await ReadAsync(
            await PostAsync(client, $"/api/v1/requests/{Id(created)}/revisions", JsonBody(TestSpecs.Site("rev.example.com") with { RedirectFrom = [] })), HttpStatusCode.OK);
        Assert.Equal(2, revised.GetProperty("currentRevision").GetInt32());
        Assert.Equal(2, revised.GetProperty("revisions").GetArrayLength());
        Assert.Equal("submitted", State(revised));
    }

    private static IEnumerable<string> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!);
}
