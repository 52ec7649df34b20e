using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Health;
using Portal.Infrastructure.Health;
using Portal.Infrastructure.Persistence;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Identity.BuiltIn;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Deployments;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Accessibility;

/// <summary>
/// Every page of the portal, as a signed-in administrator (who also requests and approves) sees it in Chromium with
/// real data, and the sign-in pages as a person signing in sees them, audited by axe-core against WCAG 2.1 A and AA.
/// A failure lists each page, rule, impact and the elements that break it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityAuditTests
{
    private const string Password = "audit password 12345";

    [Fact]
    public async Task Every_page_meets_WCAG_2_1_level_A_and_AA()
    {
        await using var aws = await LoopbackAws.StartAsync();
        var zoneId = aws.Route53.AddZone("example.com");
        var data = Directory.CreateTempSubdirectory("portal-a11y-").FullName;
        var settings = PortalAwsSettings.For(aws, data, withCredentials: true);

        // Health results are written below; scheduled scans would look the seeded names up in public DNS.
        settings["Health:ScheduledScans"] = "false";
        await using var portal = new LivePortal(settings, dataDirectory: data);
        var seeded = await SeedAsync(portal, zoneId);

        var reports = new List<AxeReport>();
        await using var browser = await Browser.StartAsync();
        var page = browser.Page;
        var audit = new Auditor(page, portal, reports);

        // Signing in for the first time: password, then setting up the authenticator, then the recovery codes.
        await page.GotoAsync(portal.Url("/").ToString());
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await audit.HereAsync("Sign in");
        await page.FillAsync("#email", seeded.AdminEmail);
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("button[type=submit]");
        await page.Locator("p.error[role=alert]").WaitForAsync();
        await audit.HereAsync("Sign in, wrong password");
        await page.FillAsync("#email", seeded.AdminEmail);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/account/enrol", StringComparison.Ordinal));
        await audit.HereAsync("Authenticator set-up");
        var key = await page.Locator("#totp-key").InnerTextAsync();
        await page.FillAsync("#code", Authenticator.Code(key));
        await page.ClickAsync("button[type=submit]");
        await page.Locator("#recovery-codes").WaitForAsync();
        await audit.HereAsync("Recovery codes");
        await page.ClickAsync("#continue");
        await page.WaitForURLAsync(portal.Url("/").ToString());

        await audit.BlazorPageAsync("Dashboard", "/");
        await audit.BlazorPageAsync("My requests", "/requests/mine");
        await audit.BlazorPageAsync("All requests", "/requests");
        await audit.BlazorPageAsync("New site", "/requests/new/site");
        await Browser.ClickUntilAsync(page.Locator("button[data-submit]"), () => page.Locator(".mud-input-error").First.IsVisibleAsync());
        await audit.HereAsync("New site, submitted empty", blazor: true);
        await audit.BlazorPageAsync("New MTA-STS policy", "/requests/new/mta-sts");
        await Browser.ClickUntilAsync(page.Locator("[data-field=mode]"), () => page.Locator(".mud-popover-open .mud-list-item").First.IsVisibleAsync());
        await audit.HereAsync("New MTA-STS policy, mode list open", blazor: true);
        await audit.BlazorPageAsync("Site request awaiting approval", $"/requests/{seeded.Site}");
        await Browser.ClickUntilAsync(page.Locator("button[data-action=Reject]"), () => page.Locator("[data-reason-for=Reject]").IsVisibleAsync());
        await audit.HereAsync("Site request awaiting approval, dialog asking the reason to reject", blazor: true);
        await page.Locator("button[data-cancel=Reject]").ClickAsync();
        await page.Locator("[role=dialog]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        foreach (var header in await page.Locator(".mud-expand-panel-header", new() { HasText = "Template diff" }).AllAsync())
        {
            await header.ClickAsync();
        }

        await page.Locator(".mud-expand-panel-content .json-preview").First.WaitForAsync();
        await audit.HereAsync("Site request awaiting approval, template diff open", blazor: true);
        await audit.BlazorPageAsync("MTA-STS request ready in testing", $"/requests/{seeded.MtaSts}");
        await audit.BlazorPageAsync("Edit a draft", $"/requests/{seeded.Draft}/edit");
        await Browser.ClickUntilAsync(
            page.Locator(".mud-expand-panel-header", new() { HasText = "Preview the CloudFormation stacks" }), () => page.Locator("pre.json-preview[data-stack]").First.IsVisibleAsync());
        await audit.HereAsync("Edit a draft, stack preview open", blazor: true);
        await audit.BlazorPageAsync("Edit an MTA-STS request", $"/requests/{seeded.MtaSts}/edit");
        await audit.BlazorPageAsync("Approvals", "/approvals");
        await audit.BlazorPageAsync("Audit log", "/audit");
        await audit.BlazorPageAsync("Health", "/health");
        await audit.BlazorPageAsync("Health of a site", $"/health/{seeded.SiteHealth}");
        await audit.BlazorPageAsync("Health of a mail domain", $"/health/{seeded.MailHealth}");
        await audit.BlazorPageAsync("Users", "/admin/users");
        await audit.BlazorPageAsync("Service accounts", "/admin/service-accounts");
        await audit.BlazorPageAsync("Template upgrades", "/admin/template-upgrades");
        await audit.BlazorPageAsync("Teams and zones", "/admin/teams-zones");
        await audit.BlazorPageAsync("Adopt an MTA-STS domain", "/admin/adopt");
        await page.FillAsync("[data-field=domain]", "not a domain");
        await Browser.ClickUntilAsync(page.Locator("button[data-action=read]"), () => page.Locator("[data-refusal]").IsVisibleAsync());
        await audit.HereAsync("Adopt an MTA-STS domain, refused", blazor: true);
        await Browser.ClickUntilAsync(page.GetByText("Site on CloudFront"), () => page.Locator("[data-field=distribution-id]").IsVisibleAsync());
        await page.FillAsync("[data-field=host]", "not a domain");
        await page.FillAsync("[data-field=distribution-id]", "E1/../x");
        await Browser.ClickUntilAsync(page.Locator("button[data-action=read-site]"), () => page.Locator("[data-refusal]").IsVisibleAsync());
        await audit.HereAsync("Adopt a site on CloudFront, refused", blazor: true);
        await audit.BlazorPageAsync("AWS accounts", "/admin/accounts");
        await audit.BlazorPageAsync("TLS reports of a mail domain", $"/requests/{seeded.MtaSts}/tls-reports");
        await audit.BlazorPageAsync("API reference", "/api-reference");
        await audit.BlazorPageAsync("Notification settings", "/account/notifications");
        await audit.PageAsync("Command line sign-in code", "/connect/verify");
        await audit.BlazorPageAsync("Not found", "/no-such-page");
        Assert.Equal("Not found", (await page.Locator("h1").InnerTextAsync()).Trim());
        await audit.BlazorPageAsync("Error", "/error");
        Assert.Equal("Something went wrong", (await page.Locator("h1").InnerTextAsync()).Trim());
        await audit.PageAsync("Not allowed", "/account/access-denied");

        // Signing out, then in again with the authenticator now set up.
        await page.GotoAsync(portal.Url("/").ToString());
        await page.ClickAsync("form[action='/account/signout'] button");
        await page.WaitForURLAsync(url => url.Contains("/account/signed-out", StringComparison.Ordinal));
        await audit.HereAsync("Signed out");
        await page.ClickAsync("a[href='/account/signin']");
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.FillAsync("#email", seeded.AdminEmail);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/account/login-code", StringComparison.Ordinal));
        await audit.HereAsync("Authenticator code");
        await page.FillAsync("#code", Authenticator.WrongCode(key));
        await page.ClickAsync("button[type=submit]");
        await page.Locator("p.error[role=alert]").WaitForAsync();
        await audit.HereAsync("Authenticator code, wrong code");

        await browser.Context.ClearCookiesAsync();
        await audit.PageAsync("Sign-in did not complete", "/account/sign-in-failed");
        await audit.PageAsync("Invitation", seeded.Invitation.PathAndQuery);
        await browser.Context.AddCookiesAsync([new Cookie
        {
            Name = ".portal.session", Value = Sessions.CookieValue(portal.Services, Sessions.TokenClaims(Persona.SignedInWithoutMfa)), Url = portal.BaseAddress.ToString(),
        }]);
        await audit.PageAsync("Multi-factor sign-in required", "/account/mfa-required");
        await browser.Context.ClearCookiesAsync();
        await browser.Context.AddCookiesAsync([new Cookie
        {
            Name = ".portal.session", Value = Sessions.CookieValue(portal.Services, Sessions.TokenClaims(Persona.Requester)), Url = portal.BaseAddress.ToString(),
        }]);

        // A page the person's roles do not allow, reached inside the app (a full load is sent to /account/access-denied).
        await audit.BlazorPageAsync("Dashboard, as a requester", "/");
        await page.EvaluateAsync("() => Blazor.navigateTo('/admin/users')");
        await page.GetByText("Your roles do not allow this page").WaitForAsync();
        await audit.HereAsync("Users, without the Admin role", blazor: true);

        // Each page was audited: axe ran its rules there (a page it could not read would pass none).
        Assert.All(reports, r => Assert.True(r.PassedRules > 0, $"axe checked nothing on {r.Page}"));
        Assert.True(reports.All(r => r.Violations.Count == 0), "WCAG 2.1 A/AA violations found by axe-core:" + AxeAudit.Describe(reports));
        Assert.Empty(aws.Violations);
    }

    /// <summary>
    /// The audit itself: a page with known faults, under a policy as strict as the portal's, is reported rule by rule,
    /// so a clean report means something.
    /// </summary>
    [Fact]
    public async Task The_audit_reports_missing_alternative_text_labels_and_low_contrast()
    {
        await using var browser = await Browser.StartAsync();
        await browser.Page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en"><head><title>Faults</title>
            <meta http-equiv="Content-Security-Policy" content="script-src 'self'; style-src 'unsafe-inline'"></head><body><main>
            <h1>Faults</h1>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            <input type="text" id="unlabelled">
            <p style="color:#aaa;background:#fff">Pale text</p>
            </main></body></html>
            """);
        var report = await AxeAudit.RunAsync(browser.Page, "faults");

        Assert.Equal(["color-contrast", "image-alt", "label"], report.Violations.Select(v => v.Rule).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(report.Violations, v => v.Rule == "label" && v.Target == "#unlabelled");
        Assert.Contains("image-alt", AxeAudit.Describe([report]), StringComparison.Ordinal);
    }

    private sealed record Seeded(string AdminEmail, Guid Site, Guid MtaSts, Guid Draft, Guid SiteHealth, Guid MailHealth, Uri Invitation);

    /// <summary>
    /// What the pages show: another person's site awaiting approval with a content version, their MTA-STS policy ready in
    /// testing (both deployed by the portal's worker against the loopback AWS endpoint), the administrator's own draft,
    /// health history for the site's testing host and the mail domain, and a pending invitation.
    /// </summary>
    private static async Task<Seeded> SeedAsync(LivePortal portal, string zoneId)
    {
        var admin = await portal.CreateUserAsync("ada@example.test", "Ada Admin", PortalRole.Admin, Password);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = (await users.FindByIdAsync(admin.Id))!;
            Assert.True((await users.AddToRolesAsync(user, [nameof(PortalRole.Requester), nameof(PortalRole.Approver)])).Succeeded);
        }

        var requests = portal.Services.GetRequiredService<RequestService>();
        var rita = Actor.Person("rita-1", "Rita Requester", DateTimeOffset.UtcNow, PortalRole.Requester);
        var ada = Actor.Person(admin.Id, "Ada Admin", DateTimeOffset.UtcNow, PortalRole.Admin, PortalRole.Requester, PortalRole.Approver);
        var site = await CreateAsync(requests, TestSpecs.Site("docs.example.com") with { HostedZoneId = zoneId }, rita, submit: true);
        var mta = await CreateAsync(requests, TestSpecs.MtaSts("example.com") with { HostedZoneId = zoneId, HostedZoneName = "example.com" }, rita, submit: true);
        var draft = await CreateAsync(requests, TestSpecs.Site("blog.example.com") with { HostedZoneId = zoneId }, ada, submit: false);
        await TestingReadyAsync(requests, site);
        await TestingReadyAsync(requests, mta);

        var zip = Content.TestZips.Site(("index.html", "<h1>Docs</h1>"), ("css/site.css", "h1{color:#123}"));
        var published = await portal.Services.GetRequiredService<ContentPublisher>().PublishAsync(site, new MemoryStream(zip), rita, ContentSource.Upload);
        Assert.True(published.Succeeded, published.Problem?.Message);
        var asked = await requests.ApplyAsync(site, WorkflowAction.RequestApproval, rita);
        Assert.True(asked.Succeeded, asked.Message);

        var health = portal.Services.GetRequiredService<HealthService>();
        Assert.Equal(2, await health.SyncFromRequestsAsync());
        var targets = await health.ListAsync();
        var siteHealth = targets.Single(t => t.Name == "test.docs.example.com").Id;
        var mailHealth = targets.Single(t => t.Name == "example.com").Id;
        var now = DateTimeOffset.UtcNow;
        await RecordAsync(portal, siteHealth, new HealthReport("test.docs.example.com", HealthCheckKind.Site, now.AddHours(-1), TimeSpan.FromMilliseconds(840),
            [new Finding("site.https", FindingSeverity.Pass, "HTTPS answers with a valid certificate.")]) { Grade = "A+", Score = 110 });
        await RecordAsync(portal, siteHealth, new HealthReport("test.docs.example.com", HealthCheckKind.Site, now, TimeSpan.FromMilliseconds(910),
        [
            new Finding("site.https", FindingSeverity.Pass, "HTTPS answers with a valid certificate."),
            new Finding("site.grade-dropped", FindingSeverity.Warning, "The header grade dropped from A+ to B.", "content-security-policy: default-src *", "MDN HTTP Observatory"),
            new Finding("site.http2", FindingSeverity.Info, "HTTP/2 is offered."),
        ]) { Grade = "B", Score = 70, CertificateExpires = now.AddDays(60) });
        await RecordAsync(portal, mailHealth, new HealthReport("example.com", HealthCheckKind.Mail, now, TimeSpan.FromMilliseconds(530),
        [
            new Finding("mta-sts.record", FindingSeverity.Pass, "The _mta-sts TXT record is valid.", "v=STSv1; id=20250101T000000"),
            new Finding("mta-sts.policy-fetch", FindingSeverity.Error, "The policy could not be fetched.", "connection refused", "RFC 8461 section 3.3"),
        ]) { MtaStsMode = "testing" });

        Uri invitation;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var invited = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .InviteAsync(new InviteUserCommand("ivy@example.test", "Ivy Invited", [PortalRole.Requester], portal.BaseAddress));
            Assert.True(invited.Succeeded, invited.Error);
            invitation = invited.Invitation!.Link;
        }

        return new Seeded("ada@example.test", site, mta, draft, siteHealth, mailHealth, invitation);
    }

    private static async Task<Guid> CreateAsync(RequestService requests, RequestSpec spec, Actor actor, bool submit)
    {
        var created = await requests.CreateAsync(spec, actor, submit);
        Assert.True(created.Succeeded, created.Message + string.Join("; ", created.Errors.Select(e => e.ToString())));
        return created.RequestId;
    }

    private static async Task TestingReadyAsync(RequestService requests, Guid id)
    {
        for (var i = 0; i < 450; i++)
        {
            var state = (await requests.GetAsync(id))!.State;
            if (state == RequestState.TestingReady)
            {
                return;
            }

            Assert.NotEqual(RequestState.TestingFailed, state);
            await Task.Delay(200);
        }

        Assert.Fail($"request {id} did not become ready in testing");
    }

    private static async Task RecordAsync(LivePortal portal, Guid targetId, HealthReport report)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var target = await db.HealthTargets.SingleAsync(t => t.Id == targetId);
        target.Record(report, report.CheckedAt.AddHours(1));
        db.HealthResults.Add(HealthResult.From(targetId, report));
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Opens pages, waits until they are settled and audits each into <paramref name="reports"/>; each page as audited is
    /// saved to artifacts/accessibility/ for review.
    /// </summary>
    private sealed class Auditor(IPage page, LivePortal portal, List<AxeReport> reports)
    {
        private static readonly Lazy<string> ScreenshotFolder = new(() =>
            Directory.CreateDirectory(Path.Combine(AxeAudit.RepositoryRoot(), "artifacts", "accessibility")).FullName);

        private static string Slug(string name) =>
            string.Concat(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Trim('-');

        /// <summary>A Razor page (the account pages): rendered by the server, nothing to wait for once loaded.</summary>
        public async Task PageAsync(string name, string path)
        {
            var response = await page.GotoAsync(portal.Url(path).ToString());
            Assert.True(response is not null && response.Ok, $"{name}: {path} answered {response?.Status}");
            await HereAsync(name);
        }

        /// <summary>
        /// A Blazor page: prerendered first, then rendered again once its circuit is connected (a websocket to /_blazor),
        /// which is what a person uses; audited when that render has settled.
        /// </summary>
        public async Task BlazorPageAsync(string name, string path)
        {
            var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnSocket(object? sender, IWebSocket socket)
            {
                if (socket.Url.Contains("/_blazor", StringComparison.Ordinal))
                {
                    socket.FrameReceived += (_, _) => connected.TrySetResult();
                }
            }

            page.WebSocket += OnSocket;
            try
            {
                await page.GotoAsync(portal.Url(path).ToString());
                await connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            finally
            {
                page.WebSocket -= OnSocket;
            }

            Assert.Equal(portal.Url(path).AbsolutePath, new Uri(page.Url).AbsolutePath);
            await HereAsync(name, blazor: true);
        }

        /// <summary>Audits the page as it is now, once its DOM has stopped changing.</summary>
        public async Task HereAsync(string name, bool blazor = false)
        {
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            if (blazor)
            {
                await page.Locator("h1").First.WaitForAsync();
            }

            await page.EvaluateAsync(
                """
                () => new Promise(resolve => {
                  const start = Date.now();
                  let timer;
                  const observer = new MutationObserver(() => {
                    clearTimeout(timer);
                    timer = setTimeout(done, Date.now() - start > 15000 ? 0 : 750);
                  });
                  function done() { observer.disconnect(); resolve(); }
                  observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
                  timer = setTimeout(done, 750);
                })
                """);
            reports.Add(await AxeAudit.RunAsync(page, name));
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder.Value, $"{reports.Count:D2}-{Slug(name)}.png"), FullPage = true });
        }
    }
}
