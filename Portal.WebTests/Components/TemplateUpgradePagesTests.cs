using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages.Admin;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The template upgrades page lists requests behind the current release; an admin filters, selects all shown and starts
/// one batch for exactly those, then follows each request's progress on the batch's page as it changes.
/// </summary>
public sealed class TemplateUpgradePagesTests : IAsyncLifetime
{
    private static readonly Actor Admin = Actor.Person("ada", "Ada Admin", TestActors.SignedInAt, PortalRole.Admin);
    private PortalComponentContext _portal = default!;
    private TemplateUpgradeBatches _upgrades = default!;
    private readonly DeploymentStatusFeed _feed = new();

    public async Task InitializeAsync()
    {
        _portal = await PortalComponentContext.CreateAsync();
        var source = new RendererStackSource(new StackRenderer(TemplateLibrary.LoadEmbedded(), PortalStackSettings.Example), PortalStackSettings.Example);
        _upgrades = new TemplateUpgradeBatches(_portal.Db, _portal.Requests, source, _portal.Clock);
        _portal.Bunit.Services.AddSingleton(_upgrades);
        _portal.Bunit.Services.AddSingleton(_feed);
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Select_all_after_a_filter_upgrades_only_the_requests_shown_and_opens_the_batch()
    {
        var alpha = await ReadyInTestingAsync("alpha.example.com");
        var alpine = await ReadyInTestingAsync("alpine.example.com");
        var beta = await ReadyInTestingAsync("beta.example.com");
        var deploying = await DeployingAsync("alpaca.example.com");

        var page = _portal.Bunit.Render<TemplateUpgradesPage>(p => p.AddCascadingValue(Admin));
        page.WaitForElement($"tr[data-behind-row='{beta}']");
        Assert.Contains("It is being deployed already", page.Find($"tr[data-behind-row='{deploying}']").TextContent, StringComparison.Ordinal);

        Input(page, "upgrade-filter").Input("alp");
        Assert.Empty(page.FindAll($"tr[data-behind-row='{beta}']"));
        Input(page, "select-all").Change(true);
        var start = page.Find("button[data-testid=start-upgrade]");
        Assert.Contains("Upgrade 2 selected", start.TextContent, StringComparison.Ordinal);
        await start.ClickAsync(new());

        var batch = Assert.Single(await _upgrades.RecentAsync(10));
        Assert.Equal($"http://localhost/admin/template-upgrades/{batch.Id}", _portal.Bunit.Services.GetRequiredService<NavigationManager>().Uri);
        var view = (await _upgrades.GetAsync(batch.Id))!;
        Assert.Equal(new[] { alpha, alpine }.Order(), view.Items.Select(i => i.RequestId).Order());
        Assert.All(view.Items, i => Assert.Equal(2, i.RevisionNumber));
        Assert.Equal(1, (await _portal.Requests.GetAsync(beta))!.CurrentRevisionNumber);
        Assert.Equal(1, (await _portal.Requests.GetAsync(deploying))!.CurrentRevisionNumber);
    }

    [Fact]
    public async Task The_batch_page_shows_each_step_a_skip_with_its_reason_and_follows_a_deployment_as_it_starts()
    {
        var upgraded = await ReadyInTestingAsync("gamma.example.com");
        var edited = await ReadyInTestingAsync("delta.example.com");
        var started = await _upgrades.StartAsync([new(upgraded, 1), new(edited, 7)], Admin);
        Assert.True(started.Succeeded, started.Message);

        var page = _portal.Bunit.Render<TemplateUpgradeBatchPage>(p => p.Add(x => x.Id, started.Batch!.Id));
        var row = page.WaitForElement($"tr[data-upgrade-row='{upgraded}']");
        Assert.Equal("queued", row.QuerySelector("[data-step]")!.GetAttribute("data-step"));
        var skipped = page.Find($"tr[data-upgrade-row='{edited}']");
        Assert.Equal("skipped", skipped.QuerySelector("[data-step]")!.GetAttribute("data-step"));
        Assert.Contains("Changed since it was chosen: revision 1 by", skipped.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 of 2 requests upgraded, 1 skipped", page.Find("[data-testid=batch-summary]").TextContent, StringComparison.Ordinal);

        var testing = await _portal.Requests.ApplyAsync(upgraded, WorkflowAction.StartTestingDeployment, Actor.System);
        Assert.True(testing.Succeeded, testing.Message);
        _feed.Publish(new DeploymentChange(upgraded, null, "testing deployment started"));
        page.WaitForAssertion(() => Assert.Equal("testing", page.Find($"tr[data-upgrade-row='{upgraded}'] [data-step]").GetAttribute("data-step")));
    }

    /// <summary>The element carrying a test id, or the input inside the component that carries it.</summary>
    private static IElement Input(IRenderedComponent<TemplateUpgradesPage> page, string testId) =>
        page.FindAll($"input[data-testid={testId}], [data-testid={testId}] input")[0];

    /// <summary>A site ready in testing whose testing stack was deployed from an earlier release.</summary>
    private async Task<Guid> ReadyInTestingAsync(string host)
    {
        var id = await DeployingAsync(host);
        var done = await _portal.Requests.ApplyAsync(id, WorkflowAction.CompleteTestingDeployment, Actor.System);
        Assert.True(done.Succeeded, done.Message);
        return id;
    }

    private async Task<Guid> DeployingAsync(string host)
    {
        var created = await _portal.Requests.CreateAsync(TestSpecs.Site(host), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        var started = await _portal.Requests.ApplyAsync(created.RequestId, WorkflowAction.StartTestingDeployment, Actor.System);
        Assert.True(started.Succeeded, started.Message);
        await using var db = await _portal.Db.CreateDbContextAsync();
        db.Stacks.Add(new TrackedStack
        {
            Id = Guid.NewGuid(), StackName = StackNaming.Site("portal", DeploymentEnvironment.Testing, host), Region = "us-east-1", Kind = StackKind.Site,
            RequestId = created.RequestId, Environment = DeploymentEnvironment.Testing, Status = "CREATE_COMPLETE", TemplateRelease = "t-earlier",
            NextCheckAt = _portal.Clock.GetUtcNow().AddDays(1), NextDriftCheckAt = _portal.Clock.GetUtcNow().AddDays(1),
        });
        await db.SaveChangesAsync();
        return created.RequestId;
    }
}
