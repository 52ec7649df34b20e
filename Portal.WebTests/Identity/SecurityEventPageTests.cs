using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;

namespace Portal.Tests.Identity;

/// <summary>
/// Admins read the stored security events on <c>/admin/security-events</c>: newest first, filtered by kind and paged,
/// so a refused sign-in or an admin's change is visible without access to the logs.
/// </summary>
public sealed class SecurityEventPageTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task The_log_lists_events_newest_first_filtered_by_kind_and_paged()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        await using var portal = new LivePortal(testServices: services => services.AddSingleton<TimeProvider>(clock));
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<SecurityAudit>();
            for (var i = 0; i < 7; i++)
            {
                await audit.RecordAsync(SecurityEventKind.SignInRefused, $"s{i}", $"user{i}@example.test", "wrong password");
                clock.Advance(TimeSpan.FromSeconds(1));
            }

            await audit.RecordAsync(SecurityEventKind.UserDisabled, "s9", "ivy@example.test", by: "adm-1");
        }

        var log = portal.Services.GetRequiredService<SecurityEventLog>();
        var all = await log.ListAsync(new SecurityEventQuery());
        Assert.Equal(8, all.Total);
        Assert.Equal(nameof(SecurityEventKind.UserDisabled), all.Rows[0].Kind);

        var refused = await log.ListAsync(new SecurityEventQuery(SecurityEventKind.SignInRefused, Page: 2, PageSize: 3));
        Assert.Equal(7, refused.Total);
        Assert.Equal(3, refused.PageCount);
        Assert.Equal(["user3@example.test", "user2@example.test", "user1@example.test"], refused.Rows.Select(r => r.Name));

        // A page past the end shows the last one rather than an empty table that hides the events.
        var beyond = await log.ListAsync(new SecurityEventQuery(SecurityEventKind.SignInRefused, Page: int.MaxValue, PageSize: 3));
        Assert.Equal(["user0@example.test"], beyond.Rows.Select(r => r.Name));
    }

    [Fact]
    public async Task An_admin_sees_a_refused_sign_in_on_the_page()
    {
        await using var portal = new LivePortal();
        var adminKey = await HttpBrowser.EnrolledUserAsync(portal, "ada@example.test", Password, PortalRole.Admin);
        await HttpBrowser.EnrolledUserAsync(portal, "nina@example.test", Password);
        using (var form = new SignInForm(portal))
        {
            await form.PostAsync("/account/login", ("Email", "nina@example.test"), ("Password", "not her password"));
        }

        using var admin = new HttpBrowser(portal);
        await admin.SignInAsync("ada@example.test", Password, Authenticator.Code(adminKey));
        var hops = await admin.FollowAsync("/admin/security-events");

        Assert.Equal(HttpStatusCode.OK, hops[^1].StatusCode);
        var html = await hops[^1].Content.ReadAsStringAsync();
        Assert.Contains("data-event=\"SignInRefused\"", html, StringComparison.Ordinal);
        Assert.Contains("nina@example.test", html, StringComparison.Ordinal);
        Assert.Contains("wrong password", html, StringComparison.Ordinal);
    }
}
