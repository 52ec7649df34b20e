using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Health;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Persistence;
using Portal.Sandbox;
using Portal.Tests.Aws.Loopback;
using Portal.Tests.Flows;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Adoption;

/// <summary>
/// In the browser, in sandbox mode: a site deployed outside the portal into the sandbox's local cloud (a stack of a
/// bucket, a certificate and a distribution, with objects put in the bucket) is adopted on the Adopt page's "Site on
/// CloudFront" choice: the admin reads the distribution, sees its bucket and objects, picks the owner and zone, and the
/// portal records an Adopted site request with the mapped 404 page and a health target.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SiteAdoptionFlowTests
{
    private const string Host = "legacy.example.com";

    [Fact]
    public async Task An_admin_reads_an_existing_distribution_on_the_adopt_page_and_adopts_the_site()
    {
        await using var portal = new LivePortal(new Dictionary<string, string?> { ["AWS:Mode"] = "Sandbox" });
        var cloud = portal.Services.GetRequiredService<SandboxCloud>().Endpoint;
        var zone = cloud.Route53.ZoneHolding(Host)!;
        var distribution = await ExistingSites.DeployAsync(cloud.CloudFormation, "legacy-site", Host, zone.Id, "legacy-site-content");
        cloud.S3.Put("legacy-site-content", "index.html", "<h1>legacy</h1>", "text/html");
        cloud.S3.Put("legacy-site-content", "404.html", "<h1>gone</h1>", "text/html");
        await using var browser = await SignedInAsync(portal, "adm-1", "Ada Admin", "Admin");
        var page = browser.Page;

        await page.GotoAsync(portal.Url("/admin/adopt").ToString());
        await Browser.ClickUntilAsync(page.GetByText("Site on CloudFront"), () => page.Locator("[data-field=distribution-id]").IsVisibleAsync());
        await page.FillAsync("[data-field=host]", Host);
        await page.FillAsync("[data-field=distribution-id]", distribution);
        await Browser.ClickUntilAsync(page.Locator("button[data-action=read-site]"), () => page.Locator("[data-found]").IsVisibleAsync());

        Assert.Equal("legacy-site-content (REST endpoint)", (await page.Locator("[data-found-bucket]").InnerTextAsync()).Trim());
        Assert.Equal("2 (28 bytes)", (await page.Locator("[data-found-objects]").InnerTextAsync()).Trim());
        Assert.Equal("/404.html with 404", (await page.Locator("[data-found-missing]").InnerTextAsync()).Trim());
        Assert.Equal(Host, (await page.Locator("[data-found-aliases]").InnerTextAsync()).Trim());
        Assert.Contains("remove the site's name from the old", await page.Locator("[data-cutover]").InnerTextAsync(), StringComparison.Ordinal);

        await page.FillAsync("[data-field=owner-id]", "ann-1");
        await page.FillAsync("[data-field=owner-name]", "Ann Author");
        await SandboxDemoSteps.ChooseAsync(page, "[data-field=zone]", zone.Name.TrimEnd('.'));
        await Browser.ClickUntilAsync(page.Locator("button[data-action=adopt-site]"), () => page.Locator("[data-adopted]").IsVisibleAsync());

        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var request = await db.Requests.Include(r => r.Revisions).SingleAsync(r => r.PrimaryName == Host);
        Assert.Equal((RequestState.Adopted, RequestKind.Site, "ann-1"), (request.State, request.Kind, request.OwnerId));
        var spec = Assert.IsType<SiteSpec>(request.CurrentRevision.Spec);
        Assert.Equal((zone.Id, "/404.html"), (spec.HostedZoneId, spec.NotFoundPage));
        Assert.True(await db.HealthTargets.AnyAsync(t => t.Name == Host && t.Kind == HealthCheckKind.Site && t.RequestId == request.Id));
        Assert.Equal(1, await page.Locator($"[data-adopted] a[href='/requests/{request.Id}']").CountAsync());

        // The request page tells the site's cut-over (aliases, A/AAAA records), not an MTA-STS domain's.
        await page.Locator($"[data-adopted] a[href='/requests/{request.Id}']").ClickAsync();
        var cutover = page.Locator("[data-adopted-cutover]");
        await cutover.WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal("site", await cutover.GetAttributeAsync("data-adopted-cutover"));
        var told = await cutover.InnerTextAsync();
        Assert.Contains("aliases", told, StringComparison.Ordinal);
        Assert.DoesNotContain("mta-sts.", told, StringComparison.Ordinal);
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
