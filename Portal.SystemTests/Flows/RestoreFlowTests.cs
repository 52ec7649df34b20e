using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Requests;
using Portal.Tests.Identity;

namespace Portal.Tests.Flows;

/// <summary>
/// Rolling back in the browser, in sandbox mode: a requester's site is deployed to testing and gets two content
/// versions; on the request page the requester restores version 1 to testing (after the confirmation), the content
/// list says "restored from version 1" and the testing site serves version 1's bytes again; an approver, another
/// person, sees what returns, promotes, and production serves those bytes. Then the requester restores an earlier
/// revision: a new revision with the old settings. Pages are saved as artifacts/screenshots/restore-*.png.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RestoreFlowTests
{
    private const string Host = "rollback.example.com";
    private const string VersionOne = "<!doctype html><title>Docs</title><h1>Version one</h1>";
    private const string VersionTwo = "<!doctype html><title>Docs</title><h1>Version two, a mistake</h1>";

    [Fact]
    public async Task A_restored_content_version_is_served_in_testing_then_in_production_after_approval_and_a_revision_is_restored_as_a_new_one()
    {
        await using var portal = new LivePortal(new Dictionary<string, string?>
        {
            ["AWS:Mode"] = "Sandbox",
            ["Deployments:ActivePollMin"] = "00:00:00.100",
            ["Deployments:ActivePollMax"] = "00:00:00.300",
            ["Deployments:WorkerInterval"] = "00:00:00.200",
        });
        var requests = portal.Services.GetRequiredService<RequestService>();

        // The requester asks for a site; the portal's worker deploys testing into the sandbox.
        await using var requesterBrowser = await SignedInAsync(portal, "rita-1", "Rita Requester", "Requester");
        var page = requesterBrowser.Page;
        await page.GotoAsync(portal.Url("/requests/new/site").ToString());
        var id = await SandboxDemoSteps.SubmitAsync(page, async () =>
        {
            await page.ClickAsync("[data-zone='example.com']");
            await page.FillAsync("[data-field=host]", Host);
            await page.Locator("[data-field=host]").BlurAsync();
        });
        await SandboxDemoSteps.WaitForStateAsync(page, RequestState.TestingReady);

        // Two content versions; the second is the one to roll back.
        await UploadAsync(page, VersionOne, "Content version 1 is in testing");
        await UploadAsync(page, VersionTwo, "Content version 2 is in testing");
        Assert.Equal(Encoding.UTF8.GetBytes(VersionTwo), await ServedAsync(requesterBrowser, page, DeploymentEnvironment.Testing));

        // "Restore to testing" on version 1 asks first; confirmed, testing holds version 1's objects as version 3.
        var confirm = page.Locator("[role=dialog] button[data-confirm=restore-content]");
        await Browser.ClickUntilAsync(page.Locator("[data-content-panel] button[data-restore='1']"), () => confirm.IsVisibleAsync());
        Assert.Contains("content version 1 again", await page.Locator("[role=dialog] [data-confirm-text]").InnerTextAsync(), StringComparison.Ordinal);
        await SandboxDemoSteps.ScreenshotAsync(page, "restore-1-confirm-content");
        await confirm.ClickAsync();
        await page.Locator("[data-upload-result]", new() { HasText = "Content version 3 (restored from 1) is in testing" }).WaitForAsync();
        var restoredRow = page.Locator("[data-content-panel] tr[data-version='3']");
        Assert.Contains("(restored from version 1)", await restoredRow.InnerTextAsync(), StringComparison.Ordinal);
        await restoredRow.Locator("[data-live=testing]").WaitForAsync();
        await SandboxDemoSteps.ScreenshotAsync(page, "restore-2-content-restored");
        Assert.Equal(Encoding.UTF8.GetBytes(VersionOne), await ServedAsync(requesterBrowser, page, DeploymentEnvironment.Testing));

        await SandboxDemoSteps.RequestApprovalAsync(page);

        // The approver, another person, sees that the version to promote is the restored one, and promotes it.
        await using var approverBrowser = await SignedInAsync(portal, "arno-1", "Arno Approver", "Approver");
        var review = approverBrowser.Page;
        await Browser.RepeatUntilAsync(
            () => review.GotoAsync(portal.Url($"/requests/{id}").ToString()),
            () => review.Locator("button[data-action=Promote]").IsVisibleAsync(), attempts: 30, what: "opening the request for review");
        await review.GetByText("content version 3 (restored from 1)").First.WaitForAsync();
        await SandboxDemoSteps.ScreenshotAsync(review, "restore-3-review");
        await SandboxDemoSteps.PromoteAsync(review);
        await SandboxDemoSteps.WaitForStateAsync(review, RequestState.Live);
        Assert.Equal(Encoding.UTF8.GetBytes(VersionOne), await ServedAsync(approverBrowser, review, DeploymentEnvironment.Production));

        // A revision with other settings goes to testing; the requester restores revision 1 from the request page.
        var rita = Actor.Person("rita-1", "Rita Requester", DateTimeOffset.UtcNow, PortalRole.Requester);
        var live = (await requests.GetAsync(id))!;
        var first = (SiteSpec)live.CurrentRevision.Spec;
        var revised = await requests.ReviseAsync(id, first with { Csp = "default-src 'self'; img-src 'self' data:" }, rita, live.Version);
        Assert.True(revised.Succeeded, revised.Message);
        await page.ReloadAsync();
        await SandboxDemoSteps.WaitForStateAsync(page, RequestState.TestingReady);

        var confirmRevision = page.Locator("[role=dialog] button[data-confirm=restore-revision]");
        Assert.Equal(0, await page.Locator("[data-revisions-panel] button[data-restore-revision='2']").CountAsync());
        await Browser.ClickUntilAsync(page.Locator("[data-revisions-panel] button[data-restore-revision='1']"), () => confirmRevision.IsVisibleAsync());
        Assert.Contains("A new revision 3 is made with the settings of revision 1", await page.Locator("[role=dialog] [data-confirm-text]").InnerTextAsync(), StringComparison.Ordinal);
        await SandboxDemoSteps.ScreenshotAsync(page, "restore-4-confirm-revision");
        await confirmRevision.ClickAsync();
        await page.Locator("[data-restore-result]", new() { HasText = "Revision 1 was restored as a new revision" }).WaitForAsync();
        await page.Locator("[data-revisions-panel] tr[data-revision='3']", new() { HasText = "current" }).WaitForAsync();
        await SandboxDemoSteps.ScreenshotAsync(page, "restore-5-revision-restored");

        var restored = (await requests.GetAsync(id))!;
        Assert.Equal(3, restored.CurrentRevisionNumber);
        var spec = (SiteSpec)restored.CurrentRevision.Spec;
        Assert.Equal((first.Csp, first.Host, first.HostedZoneName), (spec.Csp, spec.Host, spec.HostedZoneName));
        Assert.Equal(1, restored.LiveRevisionNumber);
        var restoreEvent = restored.AuditEvents.Last(e => e.Action == nameof(WorkflowAction.Revise));
        Assert.Equal((nameof(WorkflowAction.Revise), "rita-1", "Restored revision 1"), (restoreEvent.Action, restoreEvent.ActorId, restoreEvent.Reason));
    }

    /// <summary>Uploads a zip with the page as index.html on the request page and waits for the result naming the new version.</summary>
    /// <remarks>After a file was chosen the upload field holds a fresh input after the used one: the last is the live one.</remarks>
    private static async Task UploadAsync(IPage page, string index, string expected)
    {
        var result = page.Locator("[data-upload-result]", new() { HasText = expected });
        await Browser.RepeatUntilAsync(
            () => page.Locator("[data-content-panel] input[type=file]").Last.SetInputFilesAsync(
                new FilePayload { Name = "docs-site.zip", MimeType = "application/zip", Buffer = Content.TestZips.Site(("index.html", index)) }),
            async () => await page.Locator("[data-upload-progress]").IsVisibleAsync() || await result.IsVisibleAsync(),
            attempts: 10, what: "choosing the site's zip");
        await result.WaitForAsync(new() { Timeout = 60_000 });
    }

    /// <summary>
    /// The bytes the environment's site serves at its root, from the request page's link, as a visitor with an empty
    /// browser cache sees them (the pages' Cache-Control lets a browser that saw the site keep its copy for a while).
    /// </summary>
    private static async Task<byte[]> ServedAsync(Browser browser, IPage page, DeploymentEnvironment environment)
    {
        var href = (await page.Locator($"[data-site-link={environment}]").GetAttributeAsync("href"))!;
        await using var visitor = await browser.Context.Browser!.NewContextAsync();
        var tab = await visitor.NewPageAsync();
        var response = await tab.GotoAsync(href);
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        return await response.BodyAsync();
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
