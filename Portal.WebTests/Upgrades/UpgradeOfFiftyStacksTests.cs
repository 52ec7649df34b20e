using System.Diagnostics;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Upgrades;
using Portal.Core.Workflow;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Deployments;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Upgrades;

/// <summary>
/// Upgrade of 50 stacks after a template change: an admin starts one batch for every live site behind the new release;
/// each gets exactly one upgrade revision, which deploys testing, waits for approval, and reaches production only when
/// another person promotes it. None is skipped, none doubled, even when the batch is started twice.
/// </summary>
public sealed class UpgradeOfFiftyStacksTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sites = 50;
    private const string Marker = "next release of the site template";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Every_site_reaches_the_new_release_through_testing_and_approval_with_exactly_one_upgrade_revision()
    {
        var clock = Stopwatch.StartNew();
        var ids = new List<Guid>();
        for (var i = 0; i < Sites; i++)
        {
            // No redirect names: one stack per environment keeps fifty requests quick to deploy.
            ids.Add(await _h.SubmitAsync(TestSpecs.Site($"fleet{i:D2}.example.com") with { RedirectFrom = [] }));
        }

        await RunUntilAllAsync(ids, RequestState.TestingReady);
        foreach (var id in ids)
        {
            await _h.PromoteAsync(id);
        }

        await RunUntilAllAsync(ids, RequestState.Live);
        output.WriteLine($"{Sites} sites live in {clock.Elapsed.TotalSeconds:F1} s");

        var released = new SiteTemplateRelease(_h.Source, template => template["Description"] = Marker);
        Assert.NotEqual(_h.Source.TemplateRelease, released.TemplateRelease);
        _h.Source = released;
        _h.NewEngine();
        var upgrades = new TemplateUpgradeBatches(_h.Db, _h.Requests, released, _h.Clock);

        var status = await upgrades.BehindAsync();
        Assert.Equal(released.TemplateRelease, status.CurrentRelease);
        Assert.Equal(ids.Order(), status.Behind.Select(r => r.RequestId).Order());
        Assert.All(status.Behind, r => Assert.True(r.Upgradable, r.NotUpgradable));
        Assert.Equal(2 * Sites, status.StacksBehind);

        var admin = Actor.Person("ada", "Ada Admin", _h.Clock.GetUtcNow(), PortalRole.Admin, PortalRole.Approver);
        var chosen = status.Behind.Select(r => new UpgradeSelection(r.RequestId, r.RevisionNumber)).ToList();
        var started = await upgrades.StartAsync(chosen, admin);
        Assert.True(started.Succeeded, started.Message);
        Assert.Equal(Sites, started.Batch!.Started);

        // The same choice again (a second click, another admin's open page) starts nothing more.
        var again = await upgrades.StartAsync(chosen, admin);
        Assert.True(again.Succeeded, again.Message);
        Assert.Equal(0, again.Batch!.Started);
        Assert.All(again.Batch.Items, i => Assert.StartsWith("Already upgraded to " + released.TemplateRelease, i.Note, StringComparison.Ordinal));

        var upgradeStart = clock.Elapsed;
        await RunUntilAllAsync(ids, RequestState.AwaitingApproval);
        output.WriteLine($"{Sites} upgrades tested and awaiting approval in {(clock.Elapsed - upgradeStart).TotalSeconds:F1} s");
        var waiting = await upgrades.GetAsync(started.Batch.Id);
        Assert.All(waiting!.Items, i => Assert.Equal(UpgradeStep.AwaitingApproval, i.Step));
        foreach (var id in ids)
        {
            var host = (await _h.RequestAsync(id)).PrimaryName;
            Assert.Contains(Marker, _h.Aws.CloudFormation.TemplateOf("us-east-1", StackNaming.Site("portal", DeploymentEnvironment.Testing, host)), StringComparison.Ordinal);
            Assert.DoesNotContain(Marker, _h.Aws.CloudFormation.TemplateOf("us-east-1", StackNaming.Site("portal", DeploymentEnvironment.Production, host)), StringComparison.Ordinal);
        }

        // The admin who started the upgrade made its revisions, so another person approves them.
        var own = await _h.Requests.ApplyAsync(ids[0], WorkflowAction.Promote, admin with { AuthenticatedAt = _h.Clock.GetUtcNow() });
        Assert.Equal(RefusalCode.SeparationOfDuties, own.Code);
        foreach (var id in ids)
        {
            // Each approval is of the request's plan: CloudFormation's change sets for production, created for it.
            var plan = await _h.PlanReadyAsync(id);
            var approver = Actor.Person("bob", "Bob Approver", _h.Clock.GetUtcNow(), PortalRole.Approver);
            var promoted = await _h.Requests.PromoteAsync(id, approver, expectedPlanId: plan.Id);
            Assert.True(promoted.Succeeded, promoted.Message);
        }

        await RunUntilAllAsync(ids, RequestState.Live);
        output.WriteLine($"{Sites} upgrades live in {(clock.Elapsed - upgradeStart).TotalSeconds:F1} s after the batch started; {clock.Elapsed.TotalSeconds:F1} s in all");

        foreach (var id in ids)
        {
            var request = await _h.RequestAsync(id);
            Assert.Equal(2, request.Revisions.Count);
            Assert.Equal(2, request.LiveRevisionNumber);
            Assert.Single(request.AuditEvents, e => e.Action == nameof(WorkflowAction.UpgradeTemplates));
            Assert.Contains(Marker, _h.Aws.CloudFormation.TemplateOf("us-east-1", StackNaming.Site("portal", DeploymentEnvironment.Production, request.PrimaryName)), StringComparison.Ordinal);
        }

        var stacks = await _h.QueryAsync(db => db.Stacks.Where(s => s.RequestId != null && !s.Deleted));
        Assert.Equal(2 * Sites, stacks.Count);
        Assert.All(stacks, s => Assert.Equal(released.TemplateRelease, s.TemplateRelease));
        Assert.Empty((await upgrades.BehindAsync()).Behind);
        var done = await upgrades.GetAsync(started.Batch.Id);
        Assert.All(done!.Items, i => Assert.Equal(UpgradeStep.Live, i.Step));
        Assert.Equal(Sites, done.Live);
    }

    private Task RunUntilAllAsync(List<Guid> ids, RequestState state) => _h.RunUntilAsync(async () =>
    {
        var states = await _h.QueryAsync(db => db.Requests.Where(r => ids.Contains(r.Id)).Select(r => r.State));
        var stuck = states.FirstOrDefault(s => s is RequestState.TestingFailed or RequestState.ProductionFailed);
        Assert.True(stuck == default(RequestState) || stuck == state, $"A request failed ({stuck}) while waiting for {state}.");
        return states.Count == ids.Count && states.All(s => s == state);
    }, Patience);
}
