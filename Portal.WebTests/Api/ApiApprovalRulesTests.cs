using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// Approver tokens follow the same rules as the pages: the Approver role, separation of duties, and a recent sign-in
/// (step-up) — a stale one is a 401 with the RFC 9470 challenge naming max_age.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiApprovalRulesTests(ApiPortal api)
{
    [Fact]
    public async Task Separation_of_duties_role_and_step_up_hold_for_api_tokens()
    {
        await api.UserAsync("sod-dual@example.test", "Dora Dual", PortalRole.Requester, PortalRole.Approver);
        await api.UserAsync("sod-approver@example.test", "Abe Approver", PortalRole.Approver);
        await api.UserAsync("sod-late@example.test", "Lars Late", PortalRole.Approver);
        using var dual = api.Client(await api.TokenAsync("sod-dual@example.test"));
        using var approver = api.Client(await api.TokenAsync("sod-approver@example.test"));
        using var late = api.Client(await api.TokenAsync("sod-late@example.test"));
        using var anonymous = api.Client(null);

        var first = await AwaitingApprovalAsync(dual, "sod.example.com");
        var second = await AwaitingApprovalAsync(dual, "sod-two.example.com");

        // The person who asked may not approve, whatever roles they hold.
        var refused = await ProblemAsync(await ActAsync(dual, first, "promote"), HttpStatusCode.Forbidden, "separation-of-duties");
        Assert.Contains("different approver", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, (int)(await ActAsync(anonymous, first, "promote")).StatusCode);

        // Reject needs a reason, named as a field.
        await FieldProblemAsync(await ActAsync(approver, first, "reject", new { reason = " " }), "reason");

        var promoted = await ReadAsync(await ActAsync(approver, first, "promote", new { expectedVersion = await VersionAsync(first) }), HttpStatusCode.OK);
        Assert.Equal("approved", State(promoted));

        // Sixteen minutes later (the limit is 15) the same kind of token no longer decides anything.
        api.Clock.Offset = TimeSpan.FromMinutes(16);
        try
        {
            using var stale = await ActAsync(late, second, "reject", new { reason = "not this one" });
            await ProblemAsync(stale, HttpStatusCode.Unauthorized, "step-up-required");
            var challenge = stale.Headers.WwwAuthenticate.ToString();
            Assert.Contains("error=\"insufficient_user_authentication\"", challenge, StringComparison.Ordinal);
            Assert.Contains("max_age=900", challenge, StringComparison.Ordinal);
            Assert.Equal(RequestState.AwaitingApproval, (await Service().GetAsync(second))!.State);
        }
        finally
        {
            api.Clock.Offset = TimeSpan.Zero;
        }

        var rejected = await ReadAsync(await ActAsync(late, second, "reject", new { reason = "not this one" }), HttpStatusCode.OK);
        Assert.Equal("rejected", State(rejected));
        var reasons = (await Service().GetAsync(second))!.AuditEvents.Where(e => e.Action == nameof(WorkflowAction.Reject)).Select(e => e.Reason);
        Assert.Equal(["not this one"], reasons);
    }

    [Fact]
    public async Task A_requester_token_cannot_approve()
    {
        await api.UserAsync("role-req@example.test", "Rolf Requester", PortalRole.Requester);
        await api.UserAsync("role-appr@example.test", "Ann Approver", PortalRole.Approver);
        using var requester = api.Client(await api.TokenAsync("role-req@example.test"));
        using var approver = api.Client(await api.TokenAsync("role-appr@example.test"));
        var id = await AwaitingApprovalAsync(requester, "role.example.com");

        await ProblemAsync(await ActAsync(requester, id, "promote"), HttpStatusCode.Forbidden, "role-required");

        // An approver without the Requester role cannot create requests either.
        await ProblemAsync(await PostAsync(approver, "/api/v1/requests", JsonBody(TestSpecs.Site("role-two.example.com"))), HttpStatusCode.Forbidden, "role-required");
    }

    private RequestService Service() => api.Portal.Services.GetRequiredService<RequestService>();

    private async Task<int> VersionAsync(Guid id) => (await Service().GetAsync(id))!.Version;

    /// <summary>Created and submitted through the API; the portal's own deployment steps are taken as the portal would.</summary>
    private async Task<Guid> AwaitingApprovalAsync(HttpClient owner, string host)
    {
        var created = await ReadAsync(await PostAsync(owner, "/api/v1/requests?submit=true", JsonBody(TestSpecs.Site(host))), HttpStatusCode.Created);
        foreach (var action in new[] { WorkflowAction.StartTestingDeployment, WorkflowAction.CompleteTestingDeployment })
        {
            var result = await Service().ApplyAsync(Id(created), action, Actor.System);
            Assert.True(result.Succeeded, result.Message);
        }

        var asked = await ReadAsync(await ActAsync(owner, Id(created), "request-approval"), HttpStatusCode.OK);
        Assert.Equal("awaiting-approval", State(asked));
        return Id(created);
    }
}
