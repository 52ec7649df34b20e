using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Identity;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Identity;

/// <summary>
/// Step-up: an approver whose sign-in is older than Approval:MaxAuthAge cannot promote (the server refuses, whatever
/// the UI shows); the portal sends them to the provider with prompt=login and max_age=0, and back to the same
/// request, where the promotion is then accepted.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StepUpTests
{
    private const string Password = "approver password 1";

    [Fact]
    public async Task Stale_sign_in_is_refused_then_a_fresh_sign_in_at_the_provider_lets_the_promotion_through()
    {
        await using var portal = new LivePortal();
        var requestId = await AwaitingApprovalAsync(portal);
        var (approver, key) = await EnrolledApproverAsync(portal);

        // A session whose sign-in was 20 minutes ago (the limit is 15).
        var stale = Sessions.CookieValue(portal.Services, SessionClaims(approver, DateTimeOffset.UtcNow.AddMinutes(-20)));
        var staleActor = ActorFor(portal, stale);
        var service = portal.Services.GetRequiredService<RequestService>();
        var refused = await service.ApplyAsync(requestId, WorkflowAction.Promote, staleActor);
        Assert.Equal(RefusalCode.StepUpRequired, refused.Code);
        Assert.Equal(RequestState.AwaitingApproval, (await service.GetAsync(requestId))!.State);

        await using var browser = await Browser.StartAsync();
        var page = browser.Page;
        var visited = new List<string>();
        page.Request += (_, request) =>
        {
            lock (visited)
            {
                visited.Add(request.Url);
            }
        };
        await browser.Context.AddCookiesAsync([new Cookie { Name = ".portal.session", Value = stale, Url = portal.BaseAddress.ToString() }]);

        var detail = portal.Url($"/requests/{requestId}").ToString();
        await page.GotoAsync(detail);
        await Browser.ClickUntilAsync(page.Locator("[data-action=Promote]"), () => Task.FromResult(visited.ToArray().Any(u => u.Contains("/account/step-up", StringComparison.Ordinal))));

        // Sent to the provider for a fresh sign-in, not merely warned.
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        var authorize = visited.First(u => u.Contains("/connect/authorize", StringComparison.Ordinal));
        Assert.Contains("prompt=login", authorize, StringComparison.Ordinal);
        Assert.Contains("max_age=0", authorize, StringComparison.Ordinal);

        await page.FillAsync("#email", approver.Email!);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/account/login-code", StringComparison.Ordinal));
        await page.FillAsync("#code", Authenticator.Code(key));
        await page.ClickAsync("button[type=submit]");

        // Back on the same request, with a fresh sign-in.
        await page.WaitForURLAsync(detail);
        var fresh = (await browser.Context.CookiesAsync()).Single(c => c.Name == ".portal.session").Value;
        Assert.True(DateTimeOffset.UtcNow - ActorFor(portal, fresh).AuthenticatedAt!.Value < TimeSpan.FromMinutes(1));

        await Browser.ClickUntilAsync(page.Locator("[data-action=Promote]"), () => page.Locator("[role=status]").IsVisibleAsync());
        Assert.Contains("Promote: done", await page.Locator("[role=status]").InnerTextAsync(), StringComparison.Ordinal);
        var promoted = (await service.GetAsync(requestId))!;
        Assert.NotEqual(RequestState.AwaitingApproval, promoted.State);
        Assert.Contains(promoted.AuditEvents, e => e.Action == nameof(WorkflowAction.Promote) && e.ActorId == approver.Id);
    }

    private static Actor ActorFor(LivePortal portal, string cookie)
    {
        return ActorFactory.FromPrincipal(Sessions.Read(portal.Services, cookie)!.Principal)!;
    }

    private static System.Security.Claims.Claim[] SessionClaims(PortalUser user, DateTimeOffset authTime) =>
    [
        new("sub", user.Id), new("name", user.DisplayName), new("role", "Approver"), new("amr", "pwd"), new("amr", "otp"), new("amr", "mfa"),
        new("auth_time", authTime.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private static async Task<Guid> AwaitingApprovalAsync(LivePortal portal)
    {
        var service = portal.Services.GetRequiredService<RequestService>();
        var requester = Actor.Person("requester-1", "Rita Requester", DateTimeOffset.UtcNow, PortalRole.Requester);
        var created = await service.CreateAsync(TestSpecs.Site("stepup.example.com"), requester, submit: true);
        Assert.True(created.Succeeded, created.Message);
        foreach (var (action, who) in new[] { (WorkflowAction.StartTestingDeployment, Actor.System), (WorkflowAction.CompleteTestingDeployment, Actor.System), (WorkflowAction.RequestApproval, requester) })
        {
            var result = await service.ApplyAsync(created.RequestId, action, who);
            Assert.True(result.Succeeded, $"{action}: {result.Message}");
        }

        return created.RequestId;
    }

    private static async Task<(PortalUser User, string Key)> EnrolledApproverAsync(LivePortal portal)
    {
        var user = await portal.CreateUserAsync("arno@example.test", "Arno Approver", PortalRole.Approver, Password);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        user = (await users.FindByIdAsync(user.Id))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (user, (await users.GetAuthenticatorKeyAsync(user))!);
    }
}
