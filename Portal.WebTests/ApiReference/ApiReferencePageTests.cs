using System.Net;
using Portal.Tests.Identity;

namespace Portal.Tests.ApiReference;

/// <summary>
/// The API reference page renders the portal's own OpenAPI document for people (every operation with its parameters
/// and responses, every schema), server-side under the portal's CSP: no script of its own, inline or not.
/// </summary>
public sealed class ApiReferencePageTests
{
    [Fact]
    public async Task Every_operation_and_schema_is_on_the_page_without_a_script_of_its_own()
    {
        await using var portal = new LivePortal();
        using var client = Sessions.ClientFor(portal, Persona.Requester);

        var response = await client.GetAsync("/api-reference");
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        foreach (var operation in new[] { "POST /api/v1/requests", "GET /api/v1/requests/{id}", "POST /api/v1/requests/{id}/actions/{action}", "POST /api/v1/sites/{id}/content" })
        {
            Assert.Contains($"data-operation=\"{operation}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<caption>Properties of ApiRequest</caption>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"api-reference#schema-apirequest\"", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>").Select(m => m.Value).ToList();
        Assert.All(scripts, s => Assert.Contains("src=", s, StringComparison.Ordinal));
        Assert.DoesNotContain(scripts, s => s.Contains("scalar", StringComparison.OrdinalIgnoreCase));
    }
}
