using Microsoft.Extensions.DependencyInjection;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary><c>--demo</c> (Identity:Demo=true) creates a demo requester and a demo approver, except in Production.</summary>
public sealed class DemoUsersTests
{
    [Fact]
    public async Task Demo_start_creates_a_requester_and_an_approver()
    {
        await using var portal = new LivePortal(new Dictionary<string, string?> { ["Identity:Demo"] = "true" });

        var users = await ListAsync(portal);

        Assert.Equal(
            [("approver@demo.invalid", "Approver"), ("requester@demo.invalid", "Requester")],
            users.Select(u => (u.Email, string.Join(",", u.Roles))));
        Assert.All(users, u => Assert.False(u.MfaEnrolled));
    }

    [Fact]
    public async Task Demo_is_refused_in_production()
    {
        await using var portal = new LivePortal(new Dictionary<string, string?> { ["Identity:Demo"] = "true" }, environment: "Production");

        Assert.Empty(await ListAsync(portal));
    }

    private static async Task<IReadOnlyList<UserSummary>> ListAsync(LivePortal portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync();
    }
}
