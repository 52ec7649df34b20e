using System.Net;
using Portal.Core.Workflow;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Health;

/// <summary>
/// DNS rebinding: a name answers an address the portal may connect to the first time it is asked and loopback every
/// time after. The checks judge each connection's own address when connecting, so the later loopback answer is
/// refused although the first lookup passed. 127.0.0.2 stands in for the public first answer (allowed through
/// <c>Health:AllowedNetworks</c>, so nothing leaves the machine); 127.0.0.1 is the target the attacker wants.
/// </summary>
public sealed class DnsRebindingHealthRunTests(DnsRebindingHealthRunTests.Portal portal) : IClassFixture<DnsRebindingHealthRunTests.Portal>
{
    public sealed class Portal() : HealthProbePortal(
        (name, before) => name == "rebind.example.com" ? before == 0 ? [IPAddress.Parse("127.0.0.2")] : [IPAddress.Loopback] : [],
        new Dictionary<string, string?> { ["Health:AllowedNetworks:0"] = "127.0.0.2/32" });

    [Fact]
    public async Task A_name_that_turns_to_loopback_after_the_first_lookup_is_refused_at_connect_time()
    {
        using var client = await portal.ClientAsync("rebind@example.test", PortalRole.Requester);

        var ran = await ReadAsync(await client.GetAsync("/api/v1/health/rebind.example.com?kind=site&run=true"), HttpStatusCode.OK);

        var refused = ran.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("id").GetString() == "site.address-refused")
            .Select(f => f.GetProperty("message").GetString()).ToList();
        Assert.Contains("refused: rebind.example.com resolves to a loopback address 127.0.0.1; not checked", refused);
        Assert.True(portal.Dns.AQuestions("rebind.example.com") >= 2, "the name was looked up again before connecting");
        Assert.True(portal.OtherHttps.Connections > 0, "the first answer, which is allowed, was checked");
        Assert.Equal(0, portal.LoopbackConnections);
    }
}
