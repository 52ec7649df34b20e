using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Identity;

namespace Portal.Tests.Flows;

/// <summary>
/// The steps of the sandbox demo as a person takes them in the browser, shared by the demo's browser tests and
/// <c>bench sandbox</c>: submitting a request form, waiting for a state on the request page, uploading a site's zip,
/// asking for approval and promoting.
/// </summary>
public static partial class SandboxDemoSteps
{
    /// <summary>Fills and submits a request form until the browser is on the new request's page; returns its id.</summary>
    /// <remarks>Until the circuit is connected the prerendered inputs are not bound, so the form is filled again until the page changes.</remarks>
    public static async Task<Guid> SubmitAsync(IPage page, Func<Task> fill)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(fill);
        await Browser.RepeatUntilAsync(async () =>
        {
            await fill();
            await page.ClickAsync("button[data-submit]");
        }, () => Task.FromResult(RequestDetailUrl().IsMatch(page.Url)), attempts: 10, what: "submitting the request form");
        return RequestId(page);
    }

    /// <summary>The id of the request whose page the browser shows.</summary>
    public static Guid RequestId(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return Guid.Parse(RequestDetailUrl().Match(page.Url).Groups[1].Value);
    }

    /// <summary>Waits until the request page shows <paramref name="state"/>; fails with what the page shows otherwise.</summary>
    public static async Task WaitForStateAsync(IPage page, RequestState state)
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            await page.Locator($"[data-state={state}]").First.WaitForAsync(new() { Timeout = 120_000 });
        }
        catch (TimeoutException)
        {
            var panel = await page.Locator("section, .mud-paper").AllInnerTextsAsync();
            Assert.Fail($"the request page does not show {state}: {string.Join(" | ", panel)}");
        }
    }

    /// <summary>Uploads a site's zip on the request page and waits for the upload's result; returns its text.</summary>
    public static async Task<string> UploadAsync(IPage page, byte[] zip)
    {
        ArgumentNullException.ThrowIfNull(page);
        var input = page.Locator("[data-content-panel] input[type=file]");
        await Browser.RepeatUntilAsync(
            () => input.SetInputFilesAsync(new FilePayload { Name = "docs-site.zip", MimeType = "application/zip", Buffer = zip }),
            async () => await page.Locator("[data-upload-progress]").IsVisibleAsync() || await page.Locator("[data-upload-result]").IsVisibleAsync(),
            attempts: 10, what: "choosing the site's zip");
        var result = page.Locator("[data-upload-result]");
        await result.WaitForAsync(new() { Timeout = 60_000 });
        return await result.InnerTextAsync();
    }

    /// <summary>The requester asks for approval on the request page and waits for AwaitingApproval.</summary>
    public static async Task RequestApprovalAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Browser.ClickUntilAsync(page.Locator("button[data-action=RequestApproval]"), () => page.Locator("section[aria-label=Actions] [role=status]").IsVisibleAsync());
        await WaitForStateAsync(page, RequestState.AwaitingApproval);
    }

    /// <summary>The approver opens the request from the approvals list and waits until the review and its Promote button are shown.</summary>
    /// <remarks>
    /// A click on the list while its circuit is still connecting can be undone when the circuit renders the list again,
    /// so the link is followed again until the request page stays; a request page without its review is reloaded.
    /// </remarks>
    public static async Task OpenForReviewAsync(SandboxDemoPortal portal, IPage review, Guid id)
    {
        ArgumentNullException.ThrowIfNull(portal);
        ArgumentNullException.ThrowIfNull(review);
        await review.GotoAsync(portal.Url("/approvals").ToString());
        var path = $"/requests/{id}";
        await Browser.RepeatUntilAsync(
            async () =>
            {
                if (!review.Url.EndsWith(path, StringComparison.Ordinal))
                {
                    await review.Locator($"table a[href='{path}']").ClickAsync();
                }
                else
                {
                    // On the request page without its review yet: reload it, as a person would.
                    await review.ReloadAsync();
                }
            },
            async () => review.Url.EndsWith(path, StringComparison.Ordinal) && await review.Locator("[data-review]").First.IsVisibleAsync()
                && await review.Locator("button[data-action=Promote]").IsVisibleAsync(),
            attempts: 30, what: "opening the request from the approvals list");
    }

    /// <summary>The approver clicks Promote on the request page (the action is accepted, the deployment has started).</summary>
    public static async Task PromoteAsync(IPage review)
    {
        ArgumentNullException.ThrowIfNull(review);

        // Promote waits for CloudFormation's plan for production, created when approval was requested.
        await review.Locator("button[data-action=Promote]:not([disabled])").WaitForAsync(new() { Timeout = 120_000 });
        await Browser.ClickUntilAsync(review.Locator("button[data-action=Promote]"), () => review.Locator("section[aria-label=Actions] [role=status]").IsVisibleAsync());
    }

    /// <summary>Picks an item of a MudSelect: its list opens in a popover outside the field.</summary>
    public static async Task ChooseAsync(IPage page, string select, string item)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Browser.ClickUntilAsync(page.Locator(select), () => page.Locator(".mud-popover-open .mud-list-item").First.IsVisibleAsync());
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(item)}\\s*$") }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").First.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
    }

    /// <summary>Saves the page to artifacts/screenshots/<paramref name="name"/>.png once the network is idle.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder(), name + ".png"), FullPage = true });
    }

    /// <summary>artifacts/screenshots/ at the repository root (named in README).</summary>
    public static string ScreenshotFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.slnx")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? throw new InvalidOperationException("No Portal.slnx above " + AppContext.BaseDirectory)
            : Directory.CreateDirectory(Path.Combine(dir.FullName, "artifacts", "screenshots")).FullName;
    }

    [GeneratedRegex("/requests/([0-9a-f-]{36})$")]
    private static partial Regex RequestDetailUrl();
}
