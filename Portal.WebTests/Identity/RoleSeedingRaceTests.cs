using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// The start-up tasks that need the portal's roles (the client registration, the demo users) ask for them at the same
/// moment on a new database: the roles are created once, and no insert fails on the unique role name.
/// </summary>
public sealed class RoleSeedingRaceTests
{
    [Fact]
    public async Task Concurrent_callers_create_each_role_once_without_a_failed_insert()
    {
        var logs = new CapturedLogs();
        await using var portal = new LivePortal(
            new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug" },
            testServices: services => services.AddSingleton<ILoggerProvider>(logs));
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            // As on a new database: the start made the roles, so remove them (no user holds one yet).
            await scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>().Roles.ExecuteDeleteAsync();
        }

        var before = logs.Lines.Count;
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            await using var scope = portal.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().EnsureRolesAsync();
        })));

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var roles = await scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>().Roles.Select(r => r.Name).ToListAsync();
            Assert.Equal(Enum.GetNames<PortalRole>().Order(StringComparer.Ordinal), roles.Order(StringComparer.Ordinal));
        }

        Assert.DoesNotContain(logs.Lines.Skip(before), l => l.Exception is not null || l.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal));
    }
}
