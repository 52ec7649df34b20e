using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
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
        var line = text.Split('\n').Single(l => l.StartsWith("portal_requests_transitions_total{", StringComparison.Ordinal));
        Assert.Equal("portal_requests_transitions_total{otel_scope_name=\"Portal\",action=\"Submit\",state=\"Submitted\"} 1", line.Trim());
    }

    [Fact]
    public async Task A_deployment_shows_in_the_deployment_and_aws_call_series()
    {
        await using var aws = await LoopbackAws.StartAsync();
        aws.Route53.AddZone(TestSpecs.ZoneName, TestSpecs.ZoneId);
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

        var deployments = Assert.Single(series, s => s.Name == "portal_deployments_total");
        Assert.Equal(("testing", "succeeded", 1d), (deployments.Labels["environment"], deployments.Labels["outcome"], deployments.Value));
        var changeSets = Assert.Single(series, s => s.Name == "portal_aws_calls_total" && s.Labels["operation"] == "CreateChangeSet");
        Assert.Equal(("cloudformation", "success"), (changeSets.Labels["service"], changeSets.Labels["outcome"]));
        Assert.Equal(aws.Calls.Count(c => c.Operation == "CreateChangeSet"), changeSets.Value);
        Assert.Empty(aws.Violations);
    }

    [Fact]
    public async Task Only_this_portals_own_figures_are_exported_when_other_portals_share_the_process()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = Token });
        using var client = portal.CreateClient();

        // Another portal in the same process (its own meter factory, the same meter name) deploys and calls AWS.
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var elsewhere = new Portal.Core.Observability.PortalMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        elsewhere.Deployment("production", "failed");
        elsewhere.AwsCall("s3", "PutObject", "success");
        (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var text = await (await client.SendAsync(scrape)).Content.ReadAsStringAsync();

        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.DoesNotContain("portal_deployments_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("portal_aws_calls_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metric_keeps_a_bounded_number_of_series_and_adds_the_rest_up_as_overflow()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?> { ["Metrics:ScrapeToken"] = Token });
        using var client = portal.CreateClient();
        var metrics = portal.Services.GetRequiredService<Portal.Core.Observability.PortalMetrics>();
        const int operations = 700;
        for (var i = 0; i < operations; i++)
        {
            metrics.AwsCall("s3", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Operation{i}"), "success");
        }

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var calls = Series(await (await client.SendAsync(scrape)).Content.ReadAsStringAsync()).Where(s => s.Name == "portal_aws_calls_total").ToList();

        Assert.InRange(calls.Count(s => s.Labels.ContainsKey("operation")), 1, Portal.Observability.MetricCardinality.OtherLimit);
        var overflow = Assert.Single(calls, s => s.Labels.TryGetValue("otel_metric_overflow", out var flag) && flag == "true");
        Assert.Equal(operations, calls.Sum(s => s.Value));
        Assert.True(overflow.Value > 0);
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
