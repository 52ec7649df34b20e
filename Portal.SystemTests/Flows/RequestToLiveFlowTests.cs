using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Identity;

namespace Portal.Tests.Flows;

/// <summary>
/// A request from the form to production in a real browser, as two people: a requester (who also holds the approver
/// role, so separation of duties is what stops them) asks for it, watches testing become ready and asks for approval;
/// an approver finds it under Approvals, reviews what promotion changes and promotes; the portal's own deployment
/// worker deploys against the loopback AWS endpoint. Each page is saved to artifacts/screenshots/ for review.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class RequestToLiveFlowTests
{
    private const string Password = "flow password 12345";

    [Fact]
    public async Task A_site_is_requested_deployed_to_testing_promoted_by_another_person_and_reaches_live()
    {
        await using var flow = await FlowAsync();
        await using var requester = await flow.SignInAsync("rita@example.test", "Rita Requester", "/requests/new/site", PortalRole.Requester, PortalRole.Approver);
        var page = requester.Page;

        // Until the circuit is connected the prerendered inputs are not bound: fill and submit again until the page changes.
        await Browser.RepeatUntilAsync(async () =>
        {
            await page.FillAsync("[data-field=host]", "docs.example.com");
            await page.FillAsync("[data-field=hostedZoneName]", "example.com");
            await page.FillAsync("[data-field=hostedZoneId]", flow.ZoneId);
            await page.FillAsync("[data-field=redirectFrom]", "www.docs.example.com");
            await page.Locator("[data-field=redirectFrom]").BlurAsync();
            await Screenshot(page, "site-1-request-form");
            await page.ClickAsync("button[data-submit]");
        }, () => Task.FromResult(RequestDetailUrl().IsMatch(page.Url)), attempts: 10, what: "submitting the site form");

        var id = Guid.Parse(RequestDetailUrl().Match(page.Url).Groups[1].Value);
        await RequesterUploadsContentAsync(page);
        // Each environment's own bucket, named by CloudFormation after its stack.
        var testingBucket = flow.Aws.S3.BucketStartingWith(Portal.Core.Templates.StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com") + "-");
        Assert.Equal("<h1>Docs</h1>", flow.Aws.S3.Objects(testingBucket, "testing/docs.example.com/")["testing/docs.example.com/index.html"]);
        await RequesterAsksForApprovalAsync(flow, page, id, "site");

        await using var approver = await flow.SignInAsync("arno@example.test", "Arno Approver", "/approvals", PortalRole.Approver);
        await ApproverPromotesAsync(flow, approver.Page, id, "docs.example.com", "site");

        var live = await flow.Requests.GetAsync(id);
        Assert.Equal(RequestState.Live, live!.State);
        Assert.Contains(live.AuditEvents, e => e.Action == nameof(WorkflowAction.Promote) && e.ActorName == "Arno Approver");
        Assert.Equal("CREATE_COMPLETE", flow.Aws.CloudFormation.StatusOf("us-east-1", Portal.Core.Templates.StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com")));
        var production = flow.Aws.S3.Current(flow.Aws.S3.BucketStartingWith(Portal.Core.Templates.StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com") + "-"), "production/docs.example.com/");
        Assert.Equal(["production/docs.example.com/css/site.css", "production/docs.example.com/index.html"], production.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("<h1>Docs</h1>", "text/html; charset=utf-8"), (production["production/docs.example.com/index.html"].Text, production["production/docs.example.com/index.html"].ContentType));
        Assert.Contains(live.AuditEvents, e => e.Action == "PublishContent" && e.ActorName == "Rita Requester");
        Assert.Empty(flow.Aws.Violations);
    }

    [Fact]
    public async Task An_mta_sts_policy_is_served_in_testing_mode_then_promoted_to_enforce_and_reaches_live()
    {
        await using var flow = await FlowAsync();
        await using var requester = await flow.SignInAsync("rita@example.test", "Rita Requester", "/requests/new/mta-sts", PortalRole.Requester, PortalRole.Approver);
        var page = requester.Page;

        // Choosing the mode needs the connected circuit, so the inputs filled after it are bound.
        await ChooseAsync(page, "[data-field=mode]", "enforce");
        await page.FillAsync("[data-field=domain]", "example.com");
        await page.FillAsync("[data-field=mx]", "mx1.example.com\n*.mail.example.com");
        Assert.True(await page.Locator("[data-field=inRoute53]").IsCheckedAsync());
        await page.FillAsync("[data-field=hostedZoneName]", "example.com");
        await page.FillAsync("[data-field=hostedZoneId]", flow.ZoneId);
        await page.Locator("[data-field=hostedZoneId]").BlurAsync();

        // Testing is always served first, whatever production will enforce.
        var preview = await page.Locator("[data-policy-preview]").InnerTextAsync();
        Assert.True(preview.Contains("mode: testing", StringComparison.Ordinal), preview);
        await Screenshot(page, "mta-sts-1-request-form");
        await Browser.ClickUntilAsync(page.Locator("button[data-submit]"), () => Task.FromResult(RequestDetailUrl().IsMatch(page.Url)));

        var id = Guid.Parse(RequestDetailUrl().Match(page.Url).Groups[1].Value);
        var submitted = (await flow.Requests.GetAsync(id))!.CurrentRevision.Spec;
        Assert.Equal(MtaStsMode.Enforce, Assert.IsType<MtaStsSpec>(submitted).Mode);
        await RequesterAsksForApprovalAsync(flow, page, id, "mta-sts");

        await using var approver = await flow.SignInAsync("arno@example.test", "Arno Approver", "/approvals", PortalRole.Approver);
        await ApproverPromotesAsync(flow, approver.Page, id, "example.com", "mta-sts");

        var live = (await flow.Requests.GetAsync(id))!;
        Assert.Equal(RequestState.Live, live.State);
        Assert.Equal(live.CurrentRevisionNumber, live.LiveRevisionNumber);
        Assert.Equal(MtaStsMode.Enforce, Assert.IsType<MtaStsSpec>(live.CurrentRevision.Spec).Mode);
        Assert.EndsWith("_COMPLETE", flow.Aws.CloudFormation.StatusOf("us-east-1", Portal.Core.Templates.StackNaming.MtaSts("portal", "example.com")), StringComparison.Ordinal);
        Assert.Empty(flow.Aws.Violations);
    }

    /// <summary>
    /// Once testing is ready, the requester chooses the site's zip on the request page: a progress bar runs while it is
    /// sent and published, then the version is listed as the one live in testing.
    /// </summary>
    private static async Task RequesterUploadsContentAsync(IPage page)
    {
        await page.Locator("[data-run-status=Succeeded]").First.WaitForAsync(new() { Timeout = 90_000 });
        await WaitForStateAsync(page, RequestState.TestingReady);
        var zip = Content.TestZips.Site(("index.html", "<h1>Docs</h1>"), ("css/site.css", "h1{color:#123}"));
        var message = await SandboxDemoSteps.UploadAsync(page, zip);
        Assert.True(message.Contains("Content version 1 is in testing: 2 files", StringComparison.Ordinal), message);
        await page.Locator("tr[data-version='1'] [data-live=testing]").WaitForAsync();
        await Screenshot(page, "site-2a-content-uploaded");
    }

    /// <summary>On their own request: testing becomes ready, they ask for approval, and Promote is shown disabled with the reason.</summary>
    private static async Task RequesterAsksForApprovalAsync(Flow flow, IPage page, Guid id, string name)
    {
        await page.Locator("[data-run-status=Succeeded]").First.WaitForAsync(new() { Timeout = 90_000 });
        await WaitForStateAsync(page, RequestState.TestingReady);
        Assert.Equal("Ready in testing", (await page.Locator("[data-state]").First.InnerTextAsync()).Trim());
        await Screenshot(page, $"{name}-2-testing-ready");

        await Browser.ClickUntilAsync(page.Locator("button[data-action=RequestApproval]"), () => page.Locator("section[aria-label=Actions] [role=status]").IsVisibleAsync());
        Assert.Contains("now awaiting approval", await page.Locator("section[aria-label=Actions] [role=status]").InnerTextAsync(), StringComparison.Ordinal);
        await WaitForStateAsync(page, RequestState.AwaitingApproval);

        var promote = page.Locator("button[data-action=Promote]");
        Assert.True(await promote.IsDisabledAsync());
        var whyNot = await page.Locator("[data-why-not=Promote]").InnerTextAsync();
        Assert.Equal("You submitted this request; a different approver must review it.", whyNot.Trim());
        await Screenshot(page, $"{name}-3-awaiting-approval-requester-cannot-promote");

        // The server agrees with the disabled button.
        Assert.Equal(RequestState.AwaitingApproval, (await flow.Requests.GetAsync(id))!.State);
    }

    /// <summary>Approvals lists the request; its page shows what promotion changes; Promote deploys production to Live.</summary>
    private static async Task ApproverPromotesAsync(Flow flow, IPage page, Guid id, string primaryName, string name)
    {
        var link = page.Locator($"table a[href='/requests/{id}']");
        await link.WaitForAsync();
        Assert.Equal(primaryName, (await link.InnerTextAsync()).Trim());
        await Screenshot(page, $"{name}-4-approvals-list");

        await link.ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith($"/requests/{id}", StringComparison.Ordinal));
        var review = page.Locator("[data-review]");
        await review.First.WaitForAsync();
        Assert.True(await review.CountAsync() >= 1);
        Assert.True(await page.Locator("[data-review] [data-added]").CountAsync() >= 1);
        await Screenshot(page, $"{name}-5-promotion-review");

        // Promote waits for CloudFormation's plan for production, created when approval was requested.
        await page.Locator("[data-plan-panel][data-plan-status=Ready]").WaitForAsync(new() { Timeout = 120_000 });
        var promote = page.Locator("button[data-action=Promote]");
        Assert.True(await promote.IsEnabledAsync());
        await Browser.ClickUntilAsync(promote, () => page.Locator("section[aria-label=Actions] [role=status]").IsVisibleAsync());
        Assert.Contains("Promote: done", await page.Locator("section[aria-label=Actions] [role=status]").InnerTextAsync(), StringComparison.Ordinal);

        await WaitForStateAsync(page, RequestState.Live);
        Assert.Equal("Live", (await page.Locator("[data-state]").First.InnerTextAsync()).Trim());
        await Screenshot(page, $"{name}-6-live");
        Assert.Equal(RequestState.Live, (await flow.Requests.GetAsync(id))!.State);
    }

    /// <summary>Waits, without reloading, until the request page's state chip shows <paramref name="state"/>: the page follows the worker live.</summary>
    private static async Task WaitForStateAsync(IPage page, RequestState state)
    {
        try
        {
            await page.Locator($"[data-state={state}]").First.WaitForAsync(new() { Timeout = 90_000 });
        }
        catch (System.TimeoutException)
        {
            var chip = page.Locator("[data-state]").First;
            var panel = await page.Locator("section, .mud-paper").AllInnerTextsAsync();
            Assert.Fail($"the request page still shows {await chip.GetAttributeAsync("data-state")}, not {state}: {string.Join(" | ", panel)}");
        }
    }

    private static Task ChooseAsync(IPage page, string select, string item) => SandboxDemoSteps.ChooseAsync(page, select, item);

    private static Task Screenshot(IPage page, string name) => SandboxDemoSteps.ScreenshotAsync(page, name);

    [System.Text.RegularExpressions.GeneratedRegex("/requests/([0-9a-f-]{36})$")]
    private static partial System.Text.RegularExpressions.Regex RequestDetailUrl();

    private static async Task<Flow> FlowAsync()
    {
        var aws = await LoopbackAws.StartAsync();
        var zoneId = aws.Route53.AddZone("example.com");

        var data = Directory.CreateTempSubdirectory("portal-flow-").FullName;
        var portal = new LivePortal(PortalAwsSettings.For(aws, data, withCredentials: true), dataDirectory: data);
        return new Flow(aws, portal, data, zoneId);
    }

    private sealed class Flow(LoopbackAws aws, LivePortal portal, string data, string zoneId) : IAsyncDisposable
    {
        public LoopbackAws Aws => aws;

        public string ZoneId => zoneId;

        public RequestService Requests => portal.Services.GetRequiredService<RequestService>();

        /// <summary>A person with TOTP set up, signed in through the built-in provider in a browser of their own, on <paramref name="path"/>.</summary>
        public async Task<Browser> SignInAsync(string email, string displayName, string path, params PortalRole[] roles)
        {
            var user = await portal.CreateUserAsync(email, displayName, roles[0], Password);
            string key;
            await using (var scope = portal.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
                user = (await users.FindByIdAsync(user.Id))!;
                foreach (var role in roles.Skip(1))
                {
                    Assert.True((await users.AddToRoleAsync(user, role.ToString())).Succeeded);
                }

                await users.ResetAuthenticatorKeyAsync(user);
                await users.SetTwoFactorEnabledAsync(user, true);
                key = (await users.GetAuthenticatorKeyAsync(user))!;
            }

            var browser = await Browser.StartAsync();
            var page = browser.Page;
            await page.GotoAsync(portal.Url(path).ToString());
            await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
            await page.FillAsync("#email", email);
            await page.FillAsync("#password", Password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(url => url.Contains("/account/login-code", StringComparison.Ordinal));
            await page.FillAsync("#code", Authenticator.Code(key));
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(portal.Url(path).ToString());
            return browser;
        }

        public async ValueTask DisposeAsync()
        {
            await portal.DisposeAsync();
            await aws.DisposeAsync();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file for a moment; the OS cleans temp folders.
            }
        }
    }
}
