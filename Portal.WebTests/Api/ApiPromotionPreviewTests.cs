using System.Net;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>A pipeline reads what promotion would change in production, the same preview the approver sees on the page.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiPromotionPreviewTests(ApiPortal api)
{
    [Fact]
    public async Task A_never_deployed_site_adds_every_resource_of_its_production_stacks()
    {
        await api.UserAsync("preview-req@example.test", "Pia Preview", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("preview-req@example.test"));
        var created = await ReadAsync(await PostAsync(client, "/api/v1/requests", JsonBody(TestSpecs.Site("preview.example.com"))), HttpStatusCode.Created);

        var preview = await ReadAsync(await client.GetAsync($"/api/v1/requests/{Id(created)}/promotion-preview"), HttpStatusCode.OK);

        Assert.Equal(Id(created), preview.GetProperty("requestId").GetGuid());
        var stacks = preview.GetProperty("stacks").EnumerateArray().ToList();
        Assert.Contains(stacks, s => s.GetProperty("stackName").GetString()!.Contains("preview-example-com", StringComparison.Ordinal));
        foreach (var stack in stacks)
        {
            var resources = stack.GetProperty("resources").EnumerateArray().ToList();
            Assert.NotEmpty(resources);
            Assert.All(resources, r => Assert.Equal("add", r.GetProperty("kind").GetString(), ignoreCase: true));
            Assert.All(stack.GetProperty("diff").EnumerateArray(), line => Assert.StartsWith("+", line.GetString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_shared_stack_a_first_promotion_deploys_is_named_as_outside_the_plan()
    {
        await api.UserAsync("preview-shared@example.test", "Sid Shared", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("preview-shared@example.test"));
        var created = await ReadAsync(await PostAsync(client, "/api/v1/requests", JsonBody(TestSpecs.Site("preview-shared.example.com"))), HttpStatusCode.Created);

        var preview = await ReadAsync(await client.GetAsync($"/api/v1/requests/{Id(created)}/promotion-preview"), HttpStatusCode.OK);

        var also = preview.GetProperty("alsoDeployed").EnumerateArray().ToList();
        var shared = Assert.Single(also, a => a.GetProperty("kind").GetString() == "shared");
        Assert.DoesNotContain(preview.GetProperty("stacks").EnumerateArray(), s => s.GetProperty("stackName").GetString() == shared.GetProperty("stackName").GetString());
        Assert.Contains("It is not planned here because other requests use it too", shared.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.All(also, a => Assert.Contains(a.GetProperty("kind").GetString(), new[] { "shared", "headers" }));
    }

    [Fact]
    public async Task A_person_without_a_portal_role_is_refused_and_an_unknown_request_is_not_found()
    {
        await api.UserAsync("preview-none@example.test", "Nora Norole");
        await api.UserAsync("preview-app@example.test", "Abe Approver", PortalRole.Approver);
        using var none = api.Client(await api.TokenAsync("preview-none@example.test"));
        using var approver = api.Client(await api.TokenAsync("preview-app@example.test"));
        using var anonymous = api.Client(null);

        await ProblemAsync(await none.GetAsync($"/api/v1/requests/{Guid.NewGuid()}/promotion-preview"), HttpStatusCode.Forbidden, "role-required");
        await ProblemAsync(await approver.GetAsync($"/api/v1/requests/{Guid.NewGuid()}/promotion-preview"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/requests/{Guid.NewGuid()}/promotion-preview")).StatusCode);
    }
}
