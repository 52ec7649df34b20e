using System.Net;
using Portal.Core.Workflow;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Api;

/// <summary>The portal serves an OpenAPI document at /api/v1/openapi.json describing every v1 operation (to API tokens only, like the rest of /api).</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiOpenApiDocumentTests(ApiPortal api)
{
    [Fact]
    public async Task The_document_lists_every_v1_operation()
    {
        await api.UserAsync("openapi@example.test", "Opal OpenApi", PortalRole.Approver);
        using var client = api.Client(await api.TokenAsync("openapi@example.test"));
        using var anonymous = api.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/openapi.json")).StatusCode);

        var document = await ReadAsync(await client.GetAsync("/api/v1/openapi.json"), HttpStatusCode.OK);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        var operations = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).ToHashSet();
        string[] expected =
        [
            "POST /api/v1/requests",
            "GET /api/v1/requests",
            "GET /api/v1/requests/{id}",
            "POST /api/v1/requests/{id}/revisions",
            "POST /api/v1/requests/{id}/actions/{action}",
            "GET /api/v1/requests/{id}/promotion-preview",
            "GET /api/v1/health/{name}",
            "GET /api/v1/requests/{id}/drift",
            "POST /api/v1/requests/{id}/drift-checks",
            "GET /api/v1/template-upgrades",
            "POST /api/v1/template-upgrades",
            "GET /api/v1/template-upgrades/{id}",
        ];
        Assert.Subset(operations, expected.ToHashSet());
    }

    [Fact]
    public async Task Every_operation_is_under_api_and_documents_the_401_and_403_problems()
    {
        await api.UserAsync("openapi-401@example.test", "Opal Problems", PortalRole.Requester);
        using var client = api.Client(await api.TokenAsync("openapi-401@example.test"));

        var document = await ReadAsync(await client.GetAsync("/api/v1/openapi.json"), HttpStatusCode.OK);

        var operations = document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => (Name: $"{m.Name} {p.Name}", Operation: m.Value))).ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, o => Assert.StartsWith("/api/", o.Name.Split(' ')[1], StringComparison.Ordinal));
        foreach (var (name, operation) in operations)
        {
            foreach (var status in new[] { "401", "403" })
            {
                Assert.True(
                    operation.GetProperty("responses").TryGetProperty(status, out var response)
                        && response.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out _),
                    $"{name} does not document a {status} problem");
            }
        }
    }
}
