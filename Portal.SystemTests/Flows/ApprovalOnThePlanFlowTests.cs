using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Infrastructure.Persistence;
using Portal.Infrastructure.Requests;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;
using Portal.Tests.Notifications;

namespace Portal.Tests.Flows;

/// <summary>
/// The approval on CloudFormation's own plan, end to end: a requester's site reaches testing and asks for approval;
/// the approver is mailed through a real SMTP server, follows the link in the mail in Chromium, sees the production
/// change set the engine created, promotes, and production executes exactly that change set.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ApprovalOnThePlanFlowTests
{
    private const string Password = "plan flow password 12345";

    [Fact]
    public async Task The_approver_follows_the_mailed_link_reviews_the_real_change_set_and_promotion_executes_it()
    {
        await using var smtp = new TestSmtpServer();
        await using var aws = await LoopbackAws.StartAsync();
        var zoneId = aws.Route53.AddZone("example.com");
        var data = Directory.CreateTempSubdirectory("portal-plan-flow-").FullName;
        var port = LivePortal.FreePort();
        var settings = PortalAwsSettings.For(aws, data, withCredentials: true);
        settings["Notifications:PublicBaseUrl"] = $"http://127.0.0.1:{port}/";
        settings["Notifications:PollInterval"] = "00:00:00.100";
        settings["Notifications:Smtp:Host"] = "127.0.0.1";
        settings["Notifications:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture);
        settings["Notifications:Smtp:Security"] = "None";
        settings["Notifications:Smtp:From"] = "portal@example.test";
        await using var portal = new LivePortal(settings, port: port, dataDirectory: data);

        // The approver has signed in before (so the portal knows their address); the requester is another person.
        var (arno, arnoKey) = await UserAsync(portal, "arno@example.test", "Arno Approver", PortalRole.Approver);
        await using var approver = await Browser.StartAsync();
        var page = approver.Page;
        await SignInAsync(page, portal, "/approvals", "arno@example.test", arnoKey);
        var rita = await portal.CreateUserAsync("rita@example.test", "Rita Requester", PortalRole.Requester, Password);
        var requester = Actor.Person(rita.Id, "Rita Requester", DateTimeOffset.UtcNow, PortalRole.Requester);
        var people = portal.Services.GetRequiredService<Portal.Infrastructure.Notifications.NotificationPeople>();
        await people.SeenAsync(requester, "rita@example.test");
        await people.SeenAsync(Actor.Person(arno.Id, "Arno Approver", DateTimeOffset.UtcNow, PortalRole.Approver), "arno@example.test");

        // The notification worker reads events from its start on: it has started before anything happens.
        await UntilAsync(async () =>
        {
            await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            return await db.NotificationSources.AnyAsync();
        }, "the notification worker to start");

        // The requester asks; the portal's own worker deploys testing; the requester asks for approval.
        var requests = portal.Services.GetRequiredService<RequestService>();
        var spec = TestSpecs.Site("docs.example.com") with { HostedZoneId = zoneId, RedirectFrom = [] };
        var created = await requests.CreateAsync(spec, requester, submit: true);
        Assert.True(created.Succeeded, created.Message + string.Join("; ", created.Errors.Select(e => e.Message)));
        var id = created.RequestId;
        await UntilAsync(async () => (await requests.GetAsync(id))!.State is RequestState.TestingReady or RequestState.TestingFailed, "testing to be ready");
        Assert.Equal(RequestState.TestingReady, (await requests.GetAsync(id))!.State);
        Assert.True((await requests.ApplyAsync(id, WorkflowAction.RequestApproval, requester)).Succeeded);

        // The approver is mailed, with a link to the request.
        var mail = await NextWithSubjectAsync(smtp, "[portal] Approval requested: docs.example.com");
        Assert.Equal(["arno@example.test"], mail.To.Mailboxes.Select(m => m.Address));
        var link = LinkPattern().Match(mail.TextBody ?? "").Groups[1].Value;
        Assert.Equal(portal.Url($"/requests/{id}").ToString(), link);

        // The link opens the request page with CloudFormation's change set for production, once the engine made it.
        await page.GotoAsync(link);
        var productionStack = StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com");
        var planned = page.Locator($"[data-plan-panel][data-plan-status=Ready] [data-plan-stack='{productionStack}']");
        await planned.WaitForAsync(new() { Timeout = 120_000 });
        var reviewed = await planned.GetAttributeAsync("data-change-set-id");
        Assert.StartsWith("arn:aws:cloudformation:us-east-1:", reviewed, StringComparison.Ordinal);
        Assert.Equal(reviewed, (await planned.Locator("[data-change-set]").InnerTextAsync()).Trim());
        Assert.Equal("Add", (await planned.Locator("tr[data-plan-change='Distribution'] [data-plan-action]").InnerTextAsync()).Trim());
        await SandboxDemoSteps.ScreenshotAsync(page, "plan-1-review");

        await SandboxDemoSteps.PromoteAsync(page);
        Assert.Contains("Promote: done", await page.Locator("section[aria-label=Actions] [role=status]").InnerTextAsync(), StringComparison.Ordinal);
        await UntilAsync(async () => (await requests.GetAsync(id))!.State is RequestState.Live or RequestState.ProductionFailed, "production to be live");
        var live = (await requests.GetAsync(id))!;
        Assert.Equal(RequestState.Live, live.State);

        // Production executed exactly the change set the approver reviewed, and the audit trail says so twice.
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var run = await db.DeploymentRuns.AsNoTracking().SingleAsync(r => r.RequestId == id && r.Environment == DeploymentEnvironment.Production);
            var executed = await db.StackOperations.AsNoTracking().SingleAsync(o => o.RunId == run.Id && o.StackName == productionStack);
            Assert.Equal(reviewed, executed.ChangeSetId);
        }

        var executedNames = aws.Calls.Where(c => c.Operation == "ExecuteChangeSet" && Equals(c.Input.GetValueOrDefault("StackName"), productionStack))
            .Select(c => c.Input.GetValueOrDefault("ChangeSetName")).Distinct().ToList();
        var executedName = Assert.Single(executedNames);
        Assert.Contains($"/{executedName}/", reviewed, StringComparison.Ordinal);
        Assert.Contains(reviewed!, live.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.Promote)).Reason, StringComparison.Ordinal);
        Assert.Contains(reviewed!, live.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.CompleteProductionDeployment)).Reason, StringComparison.Ordinal);
        Assert.Equal("CREATE_COMPLETE", aws.CloudFormation.StatusOf("us-east-1", productionStack));
    }

    private static async Task<(PortalUser User, string Key)> UserAsync(LivePortal portal, string email, string name, PortalRole role)
    {
        var user = await portal.CreateUserAsync(email, name, role, Password);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        user = (await users.FindByIdAsync(user.Id))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (user, (await users.GetAuthenticatorKeyAsync(user))!);
    }

    private static async Task SignInAsync(Microsoft.Playwright.IPage page, LivePortal portal, string path, string email, string key)
    {
        await page.GotoAsync(portal.Url(path).ToString());
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/account/login-code", StringComparison.Ordinal));
        await page.FillAsync("#code", Authenticator.Code(key));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(portal.Url(path).ToString());
    }

    /// <summary>Mails are sent in the order events happen (testing ready to the requester first); this takes the one asked for.</summary>
    private static async Task<MimeKit.MimeMessage> NextWithSubjectAsync(TestSmtpServer smtp, string subject)
    {
        var seen = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var mail = await smtp.NextAsync(TimeSpan.FromSeconds(90));
            if (mail.Subject == subject)
            {
                return mail;
            }

            seen.Add(mail.Subject ?? "(no subject)");
        }

        throw new Xunit.Sdk.XunitException($"No mail '{subject}' arrived; got: {string.Join(" | ", seen)}");
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited too long for {what}.");
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"Open: (\S+)")]
    private static partial Regex LinkPattern();
}
