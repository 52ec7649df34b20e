using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Api;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.ServiceAccounts;

/// <summary>
/// A service account's token never approves, rejects or decommissions: a 403 problem with code <c>person-required</c>
/// and a sentence saying why, for its own requests and for others', while an approver who signed in still decides.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ServiceAccountCannotDecideTests(ApiPortal api)
{
    [Fact]
    public async Task Approve_reject_and_decommission_are_refused_with_a_clear_403()
    {
        var account = await ServiceAccountFixture.CreateAsync(api, "Deciding pipeline");
        using var pipeline = api.Client(await ServiceAccountFixture.TokenAsync(api, account));
        await api.UserAsync("svc-approver@example.test", "Sven Approver", PortalRole.Approver);
        using var approver = api.Client(await api.TokenAsync("svc-approver@example.test"));

        var id = await AwaitingApprovalAsync(pipeline, "svc-decide.example.com");

        foreach (var (action, body) in new (string, object?)[] { ("promote", null), ("reject", new { reason = "no" }), ("approve-decommission", null), ("decommission", null) })
        {
            var problem = await ProblemAsync(await ActAsync(pipeline, id, action, body), HttpStatusCode.Forbidden, "person-required");
            Assert.Contains("a service account can never approve, reject or decommission", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(RequestState.AwaitingApproval, (await Service().GetAsync(id))!.State);
        var promoted = await ReadAsync(await ActAsync(approver, id, "promote"), HttpStatusCode.OK);
        Assert.Equal("approved", State(promoted));
    }

    private RequestService Service() => api.Portal.Services.GetRequiredService<RequestService>();

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
