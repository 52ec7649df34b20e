using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// Security events leave a structured log line and an audit entry: a refused sign-in and why, a lockout, a step-up,
/// a role denial, and an admin's changes to a user.
/// </summary>
public sealed class SecurityEventTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task A_sign_in_without_a_role_is_recorded_as_refused_and_the_denied_page_as_a_role_denial()
    {
        var logs = new CapturedLogs();
        await using var portal = new LivePortal(testServices: services => services.AddSingleton<ILoggerProvider>(logs));
        var key = await HttpBrowser.EnrolledUserAsync(portal, "nina@example.test", Password);
        using var browser = new HttpBrowser(portal);

        await browser.SignInAsync("nina@example.test", Password, Authenticator.Code(key), "/approvals");
        await browser.FollowAsync("/approvals");

        var events = await EventsAsync(portal);
        Assert.Contains(events, e => e.Kind == nameof(SecurityEventKind.SignInRefused) && e.Detail == "no portal role" && e.Name == "nina");
        Assert.Contains(events, e => e.Kind == nameof(SecurityEventKind.AccessDenied) && e.Detail!.Contains("/approvals", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Category == SecurityAudit.Category && l.Level == LogLevel.Warning
            && Equals(l.Properties["Kind"], SecurityEventKind.SignInRefused) && Equals(l.Properties["Detail"], "no portal role"));
    }

    [Fact]
    public async Task A_lockout_and_a_step_up_are_recorded()
    {
        await using var portal = new LivePortal();
        var key = await HttpBrowser.EnrolledUserAsync(portal, "lars@example.test", Password, PortalRole.Approver);
        using var browser = new HttpBrowser(portal);
        await browser.SignInAsync("lars@example.test", Password, Authenticator.Code(key));
        await browser.FollowAsync("/account/step-up?returnUrl=%2Fapprovals");
        using var form = new SignInForm(portal);
        for (var i = 0; i < 5; i++)
        {
            await form.PostAsync("/account/login", ("Email", "lars@example.test"), ("Password", $"wrong {i}"));
        }

        var events = await EventsAsync(portal);
        Assert.Contains(events, e => e.Kind == nameof(SecurityEventKind.SignedIn) && e.Name == "lars");
        Assert.Contains(events, e => e.Kind == nameof(SecurityEventKind.StepUpRequested) && e.Detail!.Contains("/approvals", StringComparison.Ordinal));
        Assert.Single(events, e => e.Kind == nameof(SecurityEventKind.LockedOut) && e.Name == "lars@example.test");
        Assert.Equal(4, events.Count(e => e.Kind == nameof(SecurityEventKind.SignInRefused) && e.Detail == "wrong password"));
    }

    [Fact]
    public async Task Admin_changes_to_a_user_are_recorded_with_who_made_them()
    {
        await using var portal = new LivePortal();
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            Assert.True((await admin.InviteAsync(new InviteUserCommand("ivy@example.test", "Ivy", [PortalRole.Requester], portal.BaseAddress, By: "adm-1"))).Succeeded);
            Assert.True((await admin.InviteAsync(new InviteUserCommand("ivy@example.test", "Ivy", [PortalRole.Approver], portal.BaseAddress, By: "adm-1"))).Succeeded);
            Assert.True((await admin.SetDisabledAsync(new SetUserDisabledCommand(UserKey.ByEmail("ivy@example.test"), Disabled: true, By: "adm-1"))).Succeeded);
            Assert.True((await admin.SetDisabledAsync(new SetUserDisabledCommand(UserKey.ByEmail("ivy@example.test"), Disabled: false))).Succeeded);
            Assert.True((await admin.ResetMfaAsync(new ResetMfaCommand(UserKey.ByEmail("ivy@example.test"), By: "adm-2"))).Succeeded);
        }

        var events = (await EventsAsync(portal)).Where(e => e.Name == "ivy@example.test").ToList();
        // Entries of the same millisecond have no order among them: compare what was recorded, not in which order.
        Assert.Equal(
            new[]
            {
                (nameof(SecurityEventKind.UserInvited), "adm-1"), (nameof(SecurityEventKind.UserRolesChanged), "adm-1"), (nameof(SecurityEventKind.UserInvited), "adm-1"),
                (nameof(SecurityEventKind.UserDisabled), "adm-1"), (nameof(SecurityEventKind.UserEnabled), UserAdministration.CommandLine), (nameof(SecurityEventKind.UserMfaReset), "adm-2"),
            }.Order(),
            events.Select(e => (e.Kind, e.By!)).Order());
    }

    private static async Task<List<SecurityEvent>> EventsAsync(LivePortal portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalIdentityDbContext>().SecurityEvents.OrderBy(e => e.AtUnixMs).ThenBy(e => e.Id).ToListAsync();
    }
}
