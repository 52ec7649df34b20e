using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Core.Workflow;
using Portal.Infrastructure.Health;
using static Portal.Tests.Api.ApiCalls;

namespace Portal.Tests.Health;

/// <summary>
/// One person adds at most <c>Health:MaxWatchedNamesPerPerson</c> names to the watch list, by the API's run or the
/// Watch button; past it the answer is a problem document saying so, names already watched still run, and other
/// people keep their own allowance. Names here resolve to nothing, so each check ends at DNS.
/// </summary>
public sealed class WatchedNamesLimitTests(WatchedNamesLimitTests.Portal portal) : IClassFixture<WatchedNamesLimitTests.Portal>
{
    public sealed class Portal() : HealthProbePortal((_, _) => [], new Dictionary<string, string?> { ["Health:MaxWatchedNamesPerPerson"] = "2" });

    [Fact]
    public async Task A_third_name_is_refused_through_the_API()
    {
        using var client = await portal.ClientAsync("limit-api@example.test", PortalRole.Requester);
        Assert.True((await ReadAsync(await client.GetAsync("/api/v1/health/one.example.com?kind=site&run=true"), HttpStatusCode.OK)).GetProperty("watched").GetBoolean());
        Assert.True((await ReadAsync(await client.GetAsync("/api/v1/health/two.example.com?kind=mail&run=true"), HttpStatusCode.OK)).GetProperty("watched").GetBoolean());

        var refused = await ProblemAsync(await client.GetAsync("/api/v1/health/three.example.com?kind=site&run=true"), HttpStatusCode.Conflict, "condition-not-met");
        var again = await ReadAsync(await client.GetAsync("/api/v1/health/one.example.com?kind=site&run=true"), HttpStatusCode.OK);

        Assert.Equal("You already watch 2 names, the most one person may add (Health:MaxWatchedNamesPerPerson is 2); three.example.com is not watched.",
            refused.GetProperty("detail").GetString());
        Assert.True(again.GetProperty("watched").GetBoolean());
        await ProblemAsync(await client.GetAsync("/api/v1/health/three.example.com?kind=site"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task The_limit_is_per_person_and_applies_to_the_Watch_button()
    {
        var health = portal.Api.Portal.Services.GetRequiredService<HealthService>();
        var first = Actor.Person("limit-first", "First Person", DateTimeOffset.UtcNow, PortalRole.Approver);
        var second = Actor.Person("limit-second", "Second Person", DateTimeOffset.UtcNow, PortalRole.Requester);

        Assert.NotNull((await health.AddAsync("first-a.example.com", HealthCheckKind.Site, first)).Id);
        Assert.NotNull((await health.AddAsync("first-b.example.com", HealthCheckKind.Site, first)).Id);
        var third = await health.AddAsync("first-c.example.com", HealthCheckKind.Site, first);
        var others = await health.AddAsync("second-a.example.com", HealthCheckKind.Site, second);

        Assert.Equal((null, RefusalCode.ConditionNotMet), (third.Id, third.Code));
        Assert.Equal("You already watch 2 names, the most one person may add (Health:MaxWatchedNamesPerPerson is 2); first-c.example.com is not watched.", third.Problem);
        Assert.NotNull(others.Id);
    }
}
