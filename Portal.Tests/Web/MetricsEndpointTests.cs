using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>The Prometheus endpoint: served only with the scrape token, and carrying the portal's own metrics.</summary>
public sealed partial class MetricsEndpointTests
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
        // Other portals in this test process export their own series of the same name (see below): this portal's line is among them.
        Assert.Contains("portal_requests_transitions_total{otel_scope_name=\"Portal\",action=\"Submit\",state=\"Submitted\"} 1", text.Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public async Task A_deployment_shows_in_the_deployment_and_aws_call_series()
    {
        await using var aws = await LoopbackAws.StartAsync();
        using var data = new TemporaryFolder("portal-metrics-");
        var settings = PortalAwsSettings.For(aws, data.Path, withCredentials: true);
        settings["Metrics:ScrapeToken"] = Token;
        await using var portal = new PortalFactory(settings);
        var requests = portal.Services.GetRequiredService<RequestService>();
        var created = await requests.CreateAsync(TestSpecs.Site() with { RedirectFrom = [] }, TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((await requests.GetAsync(created.RequestId))!.State is not (RequestState.TestingReady or RequestState.TestingFailed))
        {
            Assert.True(DateTime.UtcNow < deadline, "the deployment did not finish in time");
            await Task.Delay(100);
        }

        using var client = portal.CreateClient();
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var series = Series(await (await client.SendAsync(scrape)).Content.ReadAsStringAsync());

        Assert.Equal(RequestState.TestingReady, (await requests.GetAsync(created.RequestId))!.State);

        // Other portals running in this test process at the same time have meters named Portal too, and OpenTelemetry
        // exports every meter of that name: this portal's series is the one with its own figures.
        var changeSets = aws.Calls.Count(c => c.Operation == "CreateChangeSet");
        Assert.Contains(series, s => s.Name == "portal_deployments_total"
            && (s.Labels["environment"], s.Labels["outcome"], s.Value) == ("testing", "succeeded", 1d));
        Assert.Contains(series, s => s.Name == "portal_aws_calls_total"
            && (s.Labels["service"], s.Labels["operation"], s.Labels["outcome"], s.Value) == ("cloudformation", "CreateChangeSet", "success", changeSets));
        Assert.Empty(aws.Violations);
    }

    [Fact]
    public async Task Without_a_configured_token_there_is_no_metrics_endpoint()
    {
        await using var portal = new PortalFactory();
        using var client = portal.CreateClient();

        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    private static List<(string Name, Dictionary<string, string> Labels, double Value)> Series(string exposition) =>
        [.. exposition.Split('\n').Select(l => SeriesLine().Match(l.Trim())).Where(m => m.Success).Select(m => (
            m.Groups["name"].Value,
            LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value, StringComparer.Ordinal),
            double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture)))];

    [GeneratedRegex("^(?<name>[a-z_]+)\\{(?<labels>[^}]*)\\} (?<value>[0-9.eE+-]+)")]
    private static partial Regex SeriesLine();

    [GeneratedRegex("([a-z_]+)=\"([^\"]*)\"")]
    private static partial Regex LabelPair();
}
