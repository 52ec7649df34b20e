using System.Net;
using Microsoft.Playwright;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Identity;

namespace Portal.Tests.Flows;

/// <summary>
/// The demo of the README's run command, with no AWS account: the demo requester asks for a site in one of the
/// sandbox's zones and uploads its content; testing deploys into the local cloud; the testing site opens in Chromium
/// from the request page's link (a name under .localhost, no hosts file) with its content and security headers; the
/// demo approver promotes; production opens the same way. Pages are saved to artifacts/screenshots/sandbox-*.png.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SandboxDemoFlowTests
{
    [Fact]
    public async Task A_site_goes_from_request_to_live_in_the_sandbox_and_both_sites_open_in_the_browser()
    {
        await using var portal = await SandboxDemoPortal.StartAsync();
        Assert.Contains("AWS mode: sandbox", portal.Process.Output, StringComparison.Ordinal);
        await using var requester = await portal.SignInAsync("requester@demo.invalid", portal.RequesterPassword);
        var page = requester.Page;
        await page.GotoAsync(portal.Url("/requests/new/site").ToString());
        Assert.Contains("Sandbox mode.", await page.Locator("[data-sandbox]").InnerTextAsync(), StringComparison.Ordinal);

        var id = await SandboxDemoSteps.SubmitAsync(page, async () =>
        {
            await page.ClickAsync("[data-zone='example.com']");
            await page.FillAsync("[data-field=host]", "docs.example.com");
            await page.Locator("[data-field=host]").BlurAsync();
            await Screenshot(page, "sandbox-site-1-request-form");
        });

        await SandboxDemoSteps.WaitForStateAsync(page, RequestState.TestingReady);
        await page.Locator("text=CREATE_COMPLETE").First.WaitForAsync();
        await Screenshot(page, "sandbox-site-2-testing-ready");
        var uploaded = await SandboxDemoSteps.UploadAsync(page, Content.TestZips.Site(("index.html", "<h1>Sandbox docs</h1>"), ("guide/index.html", "<h1>Guide</h1>")));
        Assert.Contains("Content version 1 is in testing: 2 files", uploaded, StringComparison.Ordinal);

        var testing = await OpenSiteAsync(requester, page, DeploymentEnvironment.Testing, "http://test.docs.example.com.localhost:");
        Assert.Contains("<h1>Sandbox docs</h1>", testing.Body, StringComparison.Ordinal);
        AssertSecurityHeaders(testing.Headers);

        await SandboxDemoSteps.RequestApprovalAsync(page);

        await using var approver = await portal.SignInAsync("approver@demo.invalid", portal.ApproverPassword);
        var review = approver.Page;
        await SandboxDemoSteps.OpenForReviewAsync(portal, review, id);
        await Screenshot(review, "sandbox-site-3-promotion-review");
        await SandboxDemoSteps.PromoteAsync(review);
        await SandboxDemoSteps.WaitForStateAsync(review, RequestState.Live);
        await Screenshot(review, "sandbox-site-4-live");

        var production = await OpenSiteAsync(approver, review, DeploymentEnvironment.Production, "http://docs.example.com.localhost:");
        Assert.Contains("<h1>Sandbox docs</h1>", production.Body, StringComparison.Ordinal);
        AssertSecurityHeaders(production.Headers);

        // A path with no object answers as S3 behind CloudFront does, not with the portal's pages.
        var tab = await approver.Context.NewPageAsync();
        var missing = await tab.GotoAsync(new Uri(new Uri(production.Url), "/no-such-page.html").ToString());
        Assert.Equal((int)HttpStatusCode.Forbidden, missing!.Status);
        Assert.Contains("AccessDenied", await tab.ContentAsync(), StringComparison.Ordinal);

        // The health checks look at what the sandbox serves (its DNS, its edge over HTTPS with its CA): a real grade.
        var watched = review.GetByRole(AriaRole.Link, new() { Name = "docs.example.com", Exact = true });
        await Browser.RepeatUntilAsync(() => review.GotoAsync(portal.Url("/health").ToString()), () => watched.IsVisibleAsync(), attempts: 30, what: "waiting for production on the health dashboard");
        await watched.ClickAsync();
        var check = review.Locator("button[data-check-now]");
        await Browser.ClickUntilAsync(check, async () => await review.Locator("[data-finding]").CountAsync() > 0 && await check.IsEnabledAsync());
        await review.GetByText("Security headers grade A+").First.WaitForAsync(new() { Timeout = 60_000 });
        var findings = string.Join(" | ", await review.Locator("[data-finding]").AllInnerTextsAsync());
        Assert.DoesNotContain("refused", findings, StringComparison.Ordinal);
        Assert.DoesNotContain("not reachable", findings, StringComparison.OrdinalIgnoreCase);
        await Screenshot(review, "sandbox-site-5-health");
    }

    private static void AssertSecurityHeaders(IReadOnlyDictionary<string, string> headers)
    {
        Assert.StartsWith("max-age=", headers["strict-transport-security"], StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("strict-origin-when-cross-origin", headers["referrer-policy"]);
        Assert.Contains("cloudfront", headers["via"], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Follows the request page's link to an environment, in a new tab, as a person does.</summary>
    private static async Task<(string Url, string Body, IReadOnlyDictionary<string, string> Headers)> OpenSiteAsync(Browser browser, IPage page, DeploymentEnvironment environment, string expectedStart)
    {
        var link = page.Locator($"[data-site-link={environment}]");
        var href = (await link.GetAttributeAsync("href"))!;
        Assert.StartsWith(expectedStart, href, StringComparison.Ordinal);
        var tab = await browser.Context.NewPageAsync();
        var response = await tab.GotoAsync(href);
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        var body = await tab.ContentAsync();
        await tab.ScreenshotAsync(new() { Path = Path.Combine(SandboxDemoSteps.ScreenshotFolder(), $"sandbox-site-{environment.ToString().ToLowerInvariant()}-served.png"), FullPage = true });
        var headers = await response.AllHeadersAsync();
        await tab.CloseAsync();
        return (href, body, headers);
    }

    private static Task Screenshot(IPage page, string name) => SandboxDemoSteps.ScreenshotAsync(page, name);
}
