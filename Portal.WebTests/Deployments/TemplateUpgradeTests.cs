using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Deployments;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Deployments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>Stacks deployed from earlier templates move to the current ones as a new revision of each request, without anyone editing it.</summary>
public sealed class TemplateUpgradeTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync(options: EngineHarness.FastOptions with { AutomaticTemplateUpgrades = true });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_live_site_gets_a_portal_revision_that_redeploys_testing_and_waits_for_approval_for_production()
    {
        var id = await LiveSiteAsync();
        var released = NextReleaseSource.Of(_h.Source);

        var candidates = await Upgrades(released).FindAsync();
        var candidate = Assert.Single(candidates);
        Assert.Equal(id, candidate.RequestId);
        Assert.Contains(candidate.Differences, d => d == $"{StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com")} has a new template");
        Assert.Contains(candidate.Differences, d => d == $"{StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com")} has a new template");

        _h.Source = released;
        _h.NewEngine();
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var request = await _h.RequestAsync(id);
        Assert.Equal(RequestState.TestingReady, request.State);
        Assert.Equal(2, request.CurrentRevisionNumber);
        Assert.Equal(1, request.LiveRevisionNumber);
        Assert.Equal(RequestSpecJson.Serialize(request.Revisions.Single(r => r.Number == 1).Spec), RequestSpecJson.Serialize(request.CurrentRevision.Spec));
        Assert.Equal(Actor.SystemId, request.CurrentRevision.LastEditorId);
        var audit = request.AuditEvents.Single(e => e.Action == nameof(WorkflowAction.UpgradeTemplates));
        Assert.StartsWith("The portal's templates changed since these stacks were deployed: ", audit.Reason, StringComparison.Ordinal);

        // Testing now runs the new template; production keeps the old one until someone approves.
        Assert.Contains(NextReleaseSource.Marker, _h.Aws.CloudFormation.TemplateOf("us-east-1", StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com")), StringComparison.Ordinal);
        Assert.DoesNotContain(NextReleaseSource.Marker, _h.Aws.CloudFormation.TemplateOf("us-east-1", StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com")), StringComparison.Ordinal);

        // Testing is current now, so the next check finds nothing more to do.
        Assert.Empty(await Upgrades(released).FindAsync());

        await _h.PromoteAsync(id);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        Assert.Contains(NextReleaseSource.Marker, _h.Aws.CloudFormation.TemplateOf("us-east-1", StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com")), StringComparison.Ordinal);
        Assert.Equal(2, (await _h.RequestAsync(id)).LiveRevisionNumber);
    }

    [Fact]
    public async Task Requests_whose_stacks_match_the_templates_are_left_alone()
    {
        var id = await LiveSiteAsync();
        Assert.Empty(await Upgrades(_h.Source).FindAsync());
        Assert.Equal(0, await Upgrades(_h.Source).StartAsync());
        Assert.Equal(1, (await _h.RequestAsync(id)).CurrentRevisionNumber);
    }

    [Fact]
    public async Task A_request_on_its_way_is_not_upgraded_because_its_next_deployment_renders_the_new_templates()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site());
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var asked = await _h.Requests.ApplyAsync(id, WorkflowAction.RequestApproval, TestActors.Alice);
        Assert.True(asked.Succeeded, asked.Message);

        Assert.Equal(0, await Upgrades(NextReleaseSource.Of(_h.Source)).StartAsync());
        Assert.Equal(RequestState.AwaitingApproval, (await _h.RequestAsync(id)).State);
    }

    [Fact]
    public async Task A_request_changed_after_the_comparison_is_left_for_the_next_check()
    {
        var id = await LiveSiteAsync();
        var released = NextReleaseSource.Of(_h.Source);
        var candidate = Assert.Single(await Upgrades(released).FindAsync());

        var revised = await _h.Requests.ReviseAsync(id, TestSpecs.Site() with { ReferrerPolicy = "no-referrer" }, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);
        var refused = await _h.Requests.UpgradeTemplatesAsync(id, candidate.Reason, candidate.Version);
        Assert.False(refused.Succeeded);
        Assert.Equal(2, (await _h.RequestAsync(id)).CurrentRevisionNumber);
    }

    private TemplateUpgrades Upgrades(IDeploymentStackSource source) => new(_h.Db, _h.Requests, source, NullLogger.Instance);

    private async Task<Guid> LiveSiteAsync()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site());
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        await _h.PromoteAsync(id);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        Assert.Equal(RequestState.Live, (await _h.RequestAsync(id)).State);
        return id;
    }

    /// <summary>The same stacks with a changed site template, as a new release of the portal would render them.</summary>
    private static class NextReleaseSource
    {
        public const string Marker = "next release of the site template";

        public static SiteTemplateRelease Of(IDeploymentStackSource current) => new(current, template => template["Description"] = Marker);
    }
}
