using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>The Prometheus endpoint: served only with the scrape token, and carrying the portal's own metrics.</summary>
public sealed class MetricsEndpointTests
{
    private const string Token = "scrape-token-for-tests-0123456789";

    [Fact]
    public async Task Without_the_token_nothing_is_served()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = Token });
        using var client = portal.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task With_the_token_the_portal_metrics_are_exported()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = Token });
        using var client = portal.CreateClient();
        var requests = portal.Services.GetRequiredService<RequestService>();
        var created = await requests.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: false);
        await requests.ApplyAsync(created.RequestId, Portal.Core.Workflow.WorkflowAction.Submit, TestActors.Alice);

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await client.SendAsync(scrape);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var line = text.Split('\n').Single(l => l.StartsWith("portal_requests_transitions_total{", StringComparison.Ordinal));
        Assert.Equal("portal_requests_transitions_total{otel_scope_name=\"Portal\",action=\"Submit\",state=\"Submitted\"} 1", line.Trim());
    }

    [Fact]
    public async Task Without_a_configured_token_there_is_no_metrics_endpoint()
    {
        await using var portal = new PortalFactory();
        using var client = portal.CreateClient();

        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }
}
