using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Identity.BuiltIn;
using Portal.Tests.Infrastructure;

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

    [Fact]
    public async Task A_later_start_after_enrolment_says_the_password_was_printed_and_how_to_start_over()
    {
        var data = Directory.CreateTempSubdirectory("portal-demo-").FullName;
        try
        {
            var demo = new Dictionary<string, string?> { ["Identity:Demo"] = "true" };
            await using (var first = new LivePortal(demo, dataDirectory: data))
            {
                await using var scope = first.Services.CreateAsyncScope();
                var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
                var requester = (await users.FindByEmailAsync("requester@demo.invalid"))!;
                await users.ResetAuthenticatorKeyAsync(requester);
                await users.SetTwoFactorEnabledAsync(requester, true);
            }

            var logs = new CapturedLogs();
            await using var second = new LivePortal(demo, dataDirectory: data, testServices: s => s.AddSingleton<ILoggerProvider>(logs));

            var text = Assert.Single(logs.Lines, l => l.Category == typeof(DemoUsers).FullName).Message;
            Assert.DoesNotContain("chosen", text, StringComparison.Ordinal);
            Assert.Contains("requester@demo.invalid  has enrolled an authenticator, so the password printed when it was last reset stays", text, StringComparison.Ordinal);
            Assert.Matches(@"approver@demo\.invalid  password [a-z0-9]{16}", text);
            Assert.Contains("dotnet run --project Portal -- users reset-mfa --email <email>", text, StringComparison.Ordinal);
        }
        finally
        {
            TestDirectories.Delete(data);
        }
    }

    private static async Task<IReadOnlyList<UserSummary>> ListAsync(LivePortal portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync();
    }
}
