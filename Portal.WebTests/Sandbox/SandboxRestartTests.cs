using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Requests;
using Portal.Sandbox;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sandbox;

/// <summary>
/// Sandbox mode keeps its cloud in the data folder: after a restart the stacks, records and content are still there,
/// the portal keeps following them, and the edge serves the site again without a new deployment.
/// </summary>
public sealed class SandboxRestartTests : IDisposable
{
    private readonly TemporaryFolder _data = new("sandbox-restart-");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_site_deployed_in_the_sandbox_is_still_deployed_and_served_after_a_restart()
    {
        var site = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        Guid id;
        string zoneId;
        await using (var first = new PortalFactory(Settings()))
        {
            var cloud = first.Services.GetRequiredService<SandboxCloud>();
            Assert.Equal(AwsAccessMode.Sandbox, (await first.Services.GetRequiredService<AwsAccess>().GetStatusAsync()).Mode);
            zoneId = cloud.Endpoint.Route53.Zones().Single(z => z.Name == "example.com.").Id;
            var requests = first.Services.GetRequiredService<RequestService>();
            var created = await requests.CreateAsync(TestSpecs.Site() with { HostedZoneId = zoneId, HostedZoneName = "example.com", RedirectFrom = [] }, TestActors.Alice, submit: true);
            Assert.True(created.Succeeded, created.Message);
            id = created.RequestId;
            await WaitAsync(async () => (await requests.GetAsync(id))!.State is RequestState.TestingReady or RequestState.TestingFailed);
            Assert.Equal(RequestState.TestingReady, (await requests.GetAsync(id))!.State);
            cloud.Endpoint.S3.Put(cloud.Endpoint.S3.BucketStartingWith(site + "-"), "testing/docs.example.com/index.html", "<h1>kept</h1>", "text/html");
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(cloud, "test.docs.example.com")).StatusCode);
        }

        await using var second = new PortalFactory(Settings());
        var restored = second.Services.GetRequiredService<SandboxCloud>();
        Assert.Equal("CREATE_COMPLETE", restored.Endpoint.CloudFormation.StatusOf("us-east-1", site));
        Assert.Equal(zoneId, restored.Endpoint.Route53.Zones().Single(z => z.Name == "example.com.").Id);
        Assert.Contains(restored.Endpoint.Route53.Zones().Single(z => z.Id == zoneId).Records, r => r.Name == "test.docs.example.com." && r.Type == "A");
        Assert.Equal(RequestState.TestingReady, (await second.Services.GetRequiredService<RequestService>().GetAsync(id))!.State);
        var served = await GetAsync(restored, "test.docs.example.com");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("<h1>kept</h1>", await served.Content.ReadAsStringAsync());
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["AWS:Mode"] = "Sandbox",
        ["Database:DataDirectory"] = _data.Path,
        ["Deployments:ActivePollMin"] = "00:00:00.100",
        ["Deployments:ActivePollMax"] = "00:00:00.300",
        ["Deployments:WorkerInterval"] = "00:00:00.100",
    };

    /// <summary>What a browser gets for the name's .localhost link: the edge on loopback, the name in the Host header.</summary>
    private static async Task<HttpResponseMessage> GetAsync(SandboxCloud cloud, string name)
    {
        using var http = new HttpClient();
        var link = cloud.Edge.SiteUrl(name);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{link.Port}/"));
        request.Headers.Host = link.Authority;
        return await http.SendAsync(request);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }
}
