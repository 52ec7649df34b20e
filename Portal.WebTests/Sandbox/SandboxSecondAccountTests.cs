using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Accounts;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Accounts;
using Portal.Infrastructure.Requests;
using Portal.Sandbox;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sandbox;

/// <summary>
/// Sandbox mode with a registered second account: each account gets its own shared stack; the second account's site is
/// served by the sandbox's edge and answered by its DNS server like the default account's, and both accounts' stacks,
/// records and content are still there after a restart.
/// </summary>
public sealed class SandboxSecondAccountTests : IDisposable
{
    private const string OtherAccount = "210987654321";
    private const string RoleArn = "arn:aws:iam::210987654321:role/portal-marketing-portal";

    private readonly TemporaryFolder _data = new("sandbox-accounts-");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_second_accounts_site_has_its_own_shared_stack_is_served_by_the_edge_and_dns_and_survives_a_restart()
    {
        var site = "";
        Guid mine;
        Guid theirs;
        string zoneId;
        await using (var first = new PortalFactory(Settings()))
        {
            var cloud = first.Services.GetRequiredService<SandboxCloud>();
            zoneId = cloud.Endpoint.Route53.Zones().Single(z => z.Name == "example.com.").Id;
            var accounts = first.Services.GetRequiredService<TargetAccountService>();
            var added = await accounts.AddAsync(new TargetAccountInput("marketing", OtherAccount, "eu-central-1", RoleArn, "external-id-1"), "Dana Admin");
            Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Message)));

            var requests = first.Services.GetRequiredService<RequestService>();
            mine = await SubmitAsync(requests, TestSpecs.Site("docs.example.com") with { HostedZoneId = zoneId, HostedZoneName = "example.com", RedirectFrom = [] });
            theirs = await SubmitAsync(requests, TestSpecs.Site("shop.example.com") with { HostedZoneId = zoneId, HostedZoneName = "example.com", RedirectFrom = [], Account = "marketing" });
            foreach (var id in new[] { mine, theirs })
            {
                await WaitAsync(async () => (await requests.GetAsync(id))!.State is RequestState.TestingReady or RequestState.TestingFailed);
                var request = (await requests.GetAsync(id))!;
                Assert.True(request.State == RequestState.TestingReady, $"{request.PrimaryName}: {request.State} {request.FailureMessage}");
            }

            var other = cloud.Endpoint.Account(OtherAccount);
            Assert.Contains(cloud.Endpoint.CloudFormation.AllStacks(), s => s.Name == "portal-shared");
            Assert.Contains(other.CloudFormation.AllStacks(), s => s.Name == "portal-marketing-shared");
            Assert.DoesNotContain(other.CloudFormation.AllStacks(), s => s.Name == "portal-shared");
            site = Assert.Single(other.CloudFormation.AllStacks(), s => s.Name.Contains("site-testing-shop-example-com", StringComparison.Ordinal)).Name;
            Assert.DoesNotContain(cloud.Endpoint.CloudFormation.AllStacks(), s => s.Name.Contains("shop-example-com", StringComparison.Ordinal));

            other.S3.Put(other.S3.BucketStartingWith(site + "-"), "testing/shop.example.com/index.html", "<h1>marketing</h1>", "text/html");
            var served = await GetAsync(cloud, "test.shop.example.com");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("<h1>marketing</h1>", await served.Content.ReadAsStringAsync());
            Assert.Equal(SandboxCloud.EdgeAddressV4, await AddressAsync(cloud, "test.shop.example.com"));
        }

        await using var second = new PortalFactory(Settings());
        var restored = second.Services.GetRequiredService<SandboxCloud>();
        var account = restored.Endpoint.Account(OtherAccount);
        Assert.Equal("CREATE_COMPLETE", account.CloudFormation.StatusOf("us-east-1", site));
        Assert.Equal("CREATE_COMPLETE", account.CloudFormation.StatusOf("eu-central-1", "portal-marketing-shared"));
        Assert.Null(restored.Endpoint.CloudFormation.StatusOf("us-east-1", site));
        var requestsAfter = second.Services.GetRequiredService<RequestService>();
        Assert.Equal(RequestState.TestingReady, (await requestsAfter.GetAsync(theirs))!.State);
        Assert.Equal(RequestState.TestingReady, (await requestsAfter.GetAsync(mine))!.State);
        var again = await GetAsync(restored, "test.shop.example.com");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("<h1>marketing</h1>", await again.Content.ReadAsStringAsync());
        Assert.Equal(SandboxCloud.EdgeAddressV4, await AddressAsync(restored, "test.shop.example.com"));
        Assert.Equal(SandboxCloud.EdgeAddressV4, await AddressAsync(restored, "test.docs.example.com"));
    }

    private static async Task<Guid> SubmitAsync(RequestService requests, SiteSpec spec)
    {
        var created = await requests.CreateAsync(spec, TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message + " " + string.Join("; ", created.Errors.Select(e => e.Message)));
        return created.RequestId;
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

    /// <summary>The A record the sandbox's DNS server answers for the name.</summary>
    private static async Task<IPAddress?> AddressAsync(SandboxCloud cloud, string name)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(cloud.Dns.EndPoint))
        {
            UseCache = false, ThrowDnsErrors = false, Recursion = false, Retries = 0, Timeout = TimeSpan.FromSeconds(10),
        });
        var answer = await client.QueryAsync(name, QueryType.A);
        return answer.Answers.OfType<ARecord>().FirstOrDefault()?.Address;
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
