using System.Net;
using Portal.Core.Workflow;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Health;

/// <summary>
/// A private network listed in <c>Health:AllowedNetworks</c> is checked like any public address: the checks connect to
/// it, nothing is refused, and the name is watched. Its neighbours outside the entry stay refused.
/// </summary>
public sealed class AllowedNetworkHealthRunTests(AllowedNetworkHealthRunTests.Portal portal) : IClassFixture<AllowedNetworkHealthRunTests.Portal>
{
    public sealed class Portal() : HealthProbePortal(
        (name, _) => name switch
        {
            "intranet.example.com" => [IPAddress.Parse("127.0.0.2")],
            "neighbour.example.com" => [IPAddress.Loopback],
            _ => [],
        },
        new Dictionary<string, string?> { ["Health:AllowedNetworks:0"] = "127.0.0.2/32" });

    [Fact]
    public async Task A_name_in_an_allowed_network_is_checked_and_watched()
    {
        using var client = await portal.ClientAsync("allowed@example.test", PortalRole.Requester);

        var ran = await ReadAsync(await client.GetAsync("/api/v1/health/intranet.example.com?kind=site&run=true"), HttpStatusCode.OK);

        var ids = ran.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain("site.address-refused", ids);
        Assert.Contains("site.tls-failed", ids);
        Assert.True(ran.GetProperty("watched").GetBoolean());
        Assert.True(portal.OtherHttps.Connections > 0, "the HTTPS port on 127.0.0.2 was connected to");
        Assert.True(portal.OtherHttp.Connections > 0, "the HTTP port on 127.0.0.2 was connected to");
        await ReadAsync(await client.GetAsync("/api/v1/health/intranet.example.com?kind=site"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_address_outside_the_allowed_network_stays_refused()
    {
        using var client = await portal.ClientAsync("neighbour@example.test", PortalRole.Requester);

        var ran = await ReadAsync(await client.GetAsync("/api/v1/health/neighbour.example.com?kind=site&run=true"), HttpStatusCode.OK);

        Assert.Contains(ran.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == "site.address-refused");
        Assert.Equal(0, portal.LoopbackConnections);
    }
}
