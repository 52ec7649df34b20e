using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Infrastructure.Teams;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Flows;

/// <summary>
/// Teams and zones in the browser, in sandbox mode: an admin allows the sandbox's zone to the web team on the Teams and
/// zones page; a web team member picks the team and the allowed zone on the site form and submits; a per-team approver
/// of another team does not see the request among approvals once it waits for one; another web team member, not the
/// requester, finds it under My requests marked with the team and withdraws it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TeamZoneFlowTests
{
    [Fact]
    public async Task An_allowed_zone_is_picked_by_a_team_member_and_another_member_withdraws_the_request_while_another_teams_approver_never_sees_it()
    {
        await using var portal = new LivePortal(new Dictionary<string, string?>
        {
            ["AWS:Mode"] = "Sandbox",
            ["Deployments:ActivePollMin"] = "00:00:00.100",
            ["Deployments:ActivePollMax"] = "00:00:00.300",
            ["Deployments:WorkerInterval"] = "00:00:00.200",
        });
        var teams = portal.Services.GetRequiredService<TeamAdministration>();
        var admin = Actor.Person("adm-1", "Ada Admin", DateTimeOffset.UtcNow, PortalRole.Admin);
        Assert.True((await teams.SaveTeamAsync(admin, "web", "Web platform")).Succeeded);
        Assert.True((await teams.SaveTeamAsync(admin, "mail", "Mail")).Succeeded);
        Assert.True((await teams.AddMemberAsync(admin, "web", "ann-1", "Ann Author")).Succeeded);
        Assert.True((await teams.AddMemberAsync(admin, "web", "tom-1", "Tom Teammate")).Succeeded);
        Assert.True((await teams.AddApproverAsync(admin, "mail", "mo-1", "Mo Mail-approver")).Succeeded);

        // The admin allows the sandbox's example.com to the web team.
        await using var adminBrowser = await SignedInAsync(portal, "adm-1", "Ada Admin", "Admin");
        var adminPage = adminBrowser.Page;
        await adminPage.GotoAsync(portal.Url("/admin/teams-zones").ToString());
        var allow = adminPage.Locator("[data-zones] tr[data-zone='example.com'] button", new() { HasText = "Allow to" });
        var item = adminPage.Locator(".mud-popover-open").GetByText("Web platform", new() { Exact = true });
        await Browser.ClickUntilAsync(allow, () => item.First.IsVisibleAsync());
        await item.First.ClickAsync();
        await adminPage.Locator("[data-message]", new() { HasText = "example.com allowed to web" }).WaitForAsync();
        var (zones, enforced) = await teams.ZonesForTeamAsync("web");
        Assert.True(enforced);
        Assert.Equal(["example.com"], zones.Select(z => z.ZoneName));

        // Ann picks her team and the allowed zone on the site form.
        await using var annBrowser = await SignedInAsync(portal, "ann-1", "Ann Author", "Requester");
        var form = annBrowser.Page;
        await form.GotoAsync(portal.Url("/requests/new/site").ToString());
        var id = await SandboxDemoSteps.SubmitAsync(form, async () =>
        {
            if (!await form.Locator("[data-allowed-zones] [data-zone='example.com']").IsVisibleAsync())
            {
                await SandboxDemoSteps.ChooseAsync(form, "[data-field=team]", "Web platform");
            }

            await form.ClickAsync("[data-allowed-zones] [data-zone='example.com']");
            await form.FillAsync("[data-field=host]", "team-flow.example.com");
            await form.Locator("[data-field=host]").BlurAsync();
        });
        var requests = portal.Services.GetRequiredService<RequestService>();
        var created = (await requests.GetAsync(id))!;
        Assert.Equal(("web", "ann-1"), (created.TeamId, created.OwnerId));
        Assert.Equal("example.com", ((SiteSpec)created.CurrentRevision.Spec).HostedZoneName);

        await SandboxDemoSteps.WaitForStateAsync(form, RequestState.TestingReady);
        await SandboxDemoSteps.RequestApprovalAsync(form);

        // Mo approves for the mail team only: the web team's waiting request is not among his approvals.
        await using var moBrowser = await SignedInAsync(portal, "mo-1", "Mo Mail-approver", "Requester");
        var approvals = moBrowser.Page;
        await approvals.GotoAsync(portal.Url("/approvals").ToString());
        await approvals.GetByText("Nothing is waiting for approval.").WaitForAsync();
        Assert.Equal(0, await approvals.Locator($"a[href='/requests/{id}']").CountAsync());

        // Tom, a web team member who did not make the request, finds it under My requests and withdraws it.
        await using var tomBrowser = await SignedInAsync(portal, "tom-1", "Tom Teammate", "Requester");
        var mine = tomBrowser.Page;
        await mine.GotoAsync(portal.Url("/requests/mine").ToString());
        var row = mine.Locator("tr", new() { Has = mine.Locator($"a[href='/requests/{id}']") });
        await row.Locator("[data-team='web']").WaitForAsync();
        await Browser.RepeatUntilAsync(() => row.Locator($"a[href='/requests/{id}']").ClickAsync(), () => Task.FromResult(mine.Url.EndsWith($"/requests/{id}", StringComparison.Ordinal)), attempts: 10, what: "opening the team's request");
        var reason = mine.Locator("[role=dialog] textarea[data-reason-for=Withdraw]");
        await Browser.ClickUntilAsync(mine.Locator("button[data-action=Withdraw]"), () => reason.IsVisibleAsync());
        await reason.FillAsync("Ann moved teams; the web team no longer needs it.");
        await mine.Locator("button[data-confirm=Withdraw]").ClickAsync();
        await mine.Locator("section[aria-label=Actions] [role=status]", new() { HasText = "Withdraw: done" }).WaitForAsync();

        var withdrawn = (await requests.GetAsync(id))!;
        Assert.Equal(RequestState.Withdrawn, withdrawn.State);
        var evt = withdrawn.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.Withdraw));
        Assert.Equal(("tom-1", "Ann moved teams; the web team no longer needs it."), (evt.ActorId, evt.Reason));
    }

    /// <summary>A browser with a portal session for a person, as after signing in with MFA at their provider.</summary>
    private static async Task<Browser> SignedInAsync(LivePortal portal, string subject, string name, string role)
    {
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Claim[] claims =
        [
            new("sub", subject), new("name", name), new("amr", "pwd"), new("amr", "mfa"),
            new("auth_time", at, ClaimValueTypes.Integer64), new("role", role),
        ];
        var browser = await Browser.StartAsync();
        await browser.Context.AddCookiesAsync([new Cookie
        {
            Name = ".portal.session", Value = Sessions.CookieValue(portal.Services, claims), Url = portal.BaseAddress.ToString(),
        }]);
        return browser;
    }
}
