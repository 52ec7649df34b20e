using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Health;
using Portal.Core.Workflow;
using Portal.Infrastructure.Health;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Health;

/// <summary>
/// The health service itself refuses to watch or run a check for someone without a portal role (and for the system
/// actor), whatever page or endpoint calls it: every check makes the portal connect out.
/// </summary>
public sealed class WatchingNeedsAPortalRoleTests
{
    public static TheoryData<string> Unprivileged() => ["no-role", Actor.SystemId];

    [Theory]
    [MemberData(nameof(Unprivileged))]
    public async Task Adding_and_running_are_refused_without_a_role(string who)
    {
        await using var factory = new PortalFactory();
        var health = factory.Services.GetRequiredService<HealthService>();
        var actor = who == Actor.SystemId ? Actor.System : Actor.Person(who, "Nobody Special", DateTimeOffset.UtcNow);

        var added = await health.AddAsync("norole.example.com", HealthCheckKind.Site, actor);
        var ran = await health.RunAsync("norole.example.com", HealthCheckKind.Site, actor);

        Assert.Equal((null, RefusalCode.RoleRequired), (added.Id, added.Code));
        Assert.Equal((null, RefusalCode.RoleRequired), (ran.Report, ran.Code));
        Assert.Equal("Checking and watching names needs a portal role (requester, approver or admin).", ran.Problem);
        Assert.Empty(await health.ListAsync());
    }
}
