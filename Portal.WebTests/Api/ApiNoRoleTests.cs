using System.Net;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>
/// A person who signed in with MFA for real but holds no portal role gets a token, and the API refuses every call it
/// makes with 403 role-required, as the pages refuse them; nothing is watched on their behalf.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiNoRoleTests(ApiPortal api)
{
    [Fact]
    public async Task Every_call_of_the_pen_test_is_refused_for_a_token_without_a_role()
    {
        await api.UserAsync("norole-owner@example.test", "Olga Owner", PortalRole.Requester);
        await api.UserAsync("norole@example.test", "Nina No-Role");
        using var owner = api.Client(await api.TokenAsync("norole-owner@example.test"));
        using var none = api.Client(await api.TokenAsync("norole@example.test"));
        var id = Id(await ReadAsync(await PostAsync(owner, "/api/v1/requests", JsonBody(TestSpecs.Site("norole.example.com"))), HttpStatusCode.Created));

        foreach (var path in new[]
        {
            "/api/me", "/api/v1/requests", $"/api/v1/requests/{id}", $"/api/v1/sites/{id}/content", "/api/v1/openapi.json",
            "/api/v1/health/norole-watch.example.com?kind=mail&run=true",
        })
        {
            await ProblemAsync(await none.GetAsync(new Uri(path, UriKind.Relative)), HttpStatusCode.Forbidden, "role-required");
        }

        await ProblemAsync(await PostAsync(none, "/api/v1/requests", JsonBody(TestSpecs.Site("norole-two.example.com"))), HttpStatusCode.Forbidden, "role-required");
        await ProblemAsync(await owner.GetAsync(new Uri("/api/v1/health/norole-watch.example.com?kind=mail", UriKind.Relative)), HttpStatusCode.NotFound, "not-found");
    }
}
