using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Core.Workflow;
using Portal.Infrastructure.Health;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Health;

/// <summary>
/// A health run for a name that resolves to loopback (issue 14, point 3: <c>GET /api/v1/health/internal.example.com?kind=site&amp;run=true</c>)
/// connects nowhere: the answer is a refused result, the listeners on the check ports see no connection, and the name
/// is not put on the watch list. The same for a mail domain whose policy host is on loopback, and for the Watch button.
/// </summary>
public sealed class LoopbackHealthRunTests(LoopbackHealthRunTests.Portal portal) : IClassFixture<LoopbackHealthRunTests.Portal>
{
    public sealed class Portal() : HealthProbePortal((name, _) => name switch
    {
        "internal.example.com" or "mta-sts.internal-mail.example.com" or "watch-me.example.com" => [IPAddress.Loopback],
        _ => [],
    });

    [Fact]
    public async Task A_site_run_reports_refused_and_connects_to_nothing()
    {
        using var client = await portal.ClientAsync("loop-site@example.test", PortalRole.Requester);

        var ran = await ReadAsync(await client.GetAsync("/api/v1/health/internal.example.com?kind=site&run=true"), HttpStatusCode.OK);

        var refused = Single(ran, "site.address-refused");
        Assert.Equal("refused: internal.example.com resolves to a loopback address 127.0.0.1; not checked", refused.GetProperty("message").GetString());
        Assert.Equal("error", ran.GetProperty("worst").GetString());
        Assert.False(ran.GetProperty("watched").GetBoolean());
        Assert.Equal(0, portal.LoopbackConnections);
        await ProblemAsync(await client.GetAsync("/api/v1/health/internal.example.com?kind=site"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_mail_run_whose_policy_host_is_on_loopback_reports_refused_and_connects_to_nothing()
    {
        using var client = await portal.ClientAsync("loop-mail@example.test", PortalRole.Requester);

        var ran = await ReadAsync(await client.GetAsync("/api/v1/health/internal-mail.example.com?kind=mail&run=true"), HttpStatusCode.OK);

        var refused = Single(ran, "mta-sts.address-refused");
        Assert.Equal("refused: mta-sts.internal-mail.example.com resolves to a loopback address 127.0.0.1; not checked", refused.GetProperty("message").GetString());
        Assert.False(ran.GetProperty("watched").GetBoolean());
        Assert.Equal(0, portal.LoopbackConnections);
        await ProblemAsync(await client.GetAsync("/api/v1/health/internal-mail.example.com?kind=mail"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Watching_a_name_on_loopback_is_refused()
    {
        var health = portal.Api.Portal.Services.GetRequiredService<HealthService>();

        var result = await health.AddAsync("watch-me.example.com", HealthCheckKind.Site, Actor.Person("loop-watch", "Lou Watch", DateTimeOffset.UtcNow, PortalRole.Requester));

        Assert.Null(result.Id);
        Assert.Equal(RefusalCode.ConditionNotMet, result.Code);
        Assert.Equal("refused: watch-me.example.com resolves to a loopback address 127.0.0.1; not checked; the name is not watched.", result.Problem);
        Assert.DoesNotContain(await health.ListAsync(), t => t.Name == "watch-me.example.com");
        Assert.Equal(0, portal.LoopbackConnections);
    }

    private static JsonElement Single(JsonElement health, string id) =>
        Assert.Single(health.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == id);
}
