using Microsoft.Playwright;
using Portal.Core.Workflow;
using Portal.Tests.Identity;

namespace Portal.Tests.Flows;

/// <summary>
/// The MTA-STS demo of the README's run command, with no AWS account: the demo requester asks for an enforce policy
/// for a mail domain in one of the sandbox's zones; testing deploys into the local cloud and the policy host (one
/// name, <c>mta-sts.&lt;domain&gt;</c>, under .localhost) serves the policy in testing mode to Chromium; the demo
/// approver promotes and the same host serves it in enforce mode. Pages are saved to artifacts/screenshots/sandbox-mta-sts-*.png.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SandboxMtaStsDemoFlowTests
{
    [Fact]
    public async Task A_policy_is_served_in_testing_mode_then_in_enforce_mode_after_promotion_in_the_sandbox()
    {
        await using var portal = await SandboxDemoPortal.StartAsync();
        await using var requester = await portal.SignInAsync("requester@demo.invalid", portal.RequesterPassword);
        var page = requester.Page;
        await page.GotoAsync(portal.Url("/requests/new/mta-sts").ToString());

        await SandboxDemoSteps.SubmitAsync(page, async () =>
        {
            // Choosing the mode needs the connected circuit, so the inputs filled after it are bound.
            await SandboxDemoSteps.ChooseAsync(page, "[data-field=mode]", "enforce");
            await page.FillAsync("[data-field=domain]", "example.org");
            await page.FillAsync("[data-field=mx]", "mx1.example.org");
            Assert.True(await page.Locator("[data-field=inRoute53]").IsCheckedAsync());
            // The sandbox's zone chip fills the zone's name and id.
            await page.ClickAsync("[data-zone='example.org']");
            await page.Locator("[data-field=hostedZoneId]").BlurAsync();
            await SandboxDemoSteps.ScreenshotAsync(page, "sandbox-mta-sts-1-request-form");
        });

        await SandboxDemoSteps.WaitForStateAsync(page, RequestState.TestingReady);
        await page.Locator("text=CREATE_COMPLETE").First.WaitForAsync();
        await SandboxDemoSteps.ScreenshotAsync(page, "sandbox-mta-sts-2-testing-ready");
        var testing = await OpenPolicyAsync(requester, page, "testing");
        Assert.Contains("mode: testing", testing, StringComparison.Ordinal);
        Assert.Contains("mx: mx1.example.org", testing, StringComparison.Ordinal);

        await SandboxDemoSteps.RequestApprovalAsync(page);
        await using var approver = await portal.SignInAsync("approver@demo.invalid", portal.ApproverPassword);
        var review = approver.Page;
        await SandboxDemoSteps.OpenForReviewAsync(portal, review, SandboxDemoSteps.RequestId(page));
        await SandboxDemoSteps.ScreenshotAsync(review, "sandbox-mta-sts-3-promotion-review");
        await SandboxDemoSteps.PromoteAsync(review);
        await SandboxDemoSteps.WaitForStateAsync(review, RequestState.Live);
        await SandboxDemoSteps.ScreenshotAsync(review, "sandbox-mta-sts-4-live");

        var production = await OpenPolicyAsync(approver, review, "enforce");
        Assert.Contains("mode: enforce", production, StringComparison.Ordinal);
        Assert.Contains("mx: mx1.example.org", production, StringComparison.Ordinal);
    }

    /// <summary>Opens the policy under the request page's link to the policy host, in a new tab, as a person does; returns its text.</summary>
    private static async Task<string> OpenPolicyAsync(Browser browser, IPage page, string mode)
    {
        var href = (await page.Locator("[data-site-link='Policy host']").GetAttributeAsync("href"))!;
        Assert.StartsWith("http://mta-sts.example.org.localhost:", href, StringComparison.Ordinal);
        var tab = await browser.Context.NewPageAsync();
        var response = await tab.GotoAsync(new Uri(new Uri(href), "/.well-known/mta-sts.txt").ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/plain", (await response.AllHeadersAsync())["content-type"], StringComparison.Ordinal);
        var body = await response.TextAsync();
        await tab.ScreenshotAsync(new() { Path = Path.Combine(SandboxDemoSteps.ScreenshotFolder(), $"sandbox-mta-sts-policy-{mode}.png"), FullPage = true });
        await tab.CloseAsync();
        return body;
    }
}
