using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>A site from submission to live: testing stacks, content upload, approval, production stacks, content copied to production.</summary>
public sealed class SiteDeploymentTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Testing_then_production_deployment_goes_live_with_every_object_copied_and_one_invalidation()
    {
        const int Objects = 1_050;
        var id = await _h.SubmitAsync(TestSpecs.Site());
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var request = await _h.RequestAsync(id);
        Assert.Equal(RequestState.TestingReady, request.State);
        Assert.Null(request.FailureMessage);

        var shared = StackNaming.Shared("portal");
        var testingSite = StackNaming.Site("portal", DeploymentEnvironment.Testing, "docs.example.com");
        var testingRedirect = StackNaming.Redirect("portal", DeploymentEnvironment.Testing, "www.docs.example.com");
        Assert.Equal([shared], _h.Aws.CloudFormation.StackNames("eu-west-1"));
        // Beside them in us-east-1, the headers stacks they import: the site's header set and the redirect's.
        var headers = _h.Aws.CloudFormation.StackNames("us-east-1").Where(n => n.StartsWith("portal-headers-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, headers.Count);
        Assert.Equal(new[] { testingSite, testingRedirect }.Concat(headers).Order(), _h.Aws.CloudFormation.StackNames("us-east-1").Order());
        Assert.All(new[] { testingSite, testingRedirect }, s => Assert.Equal("CREATE_COMPLETE", _h.Aws.CloudFormation.StatusOf("us-east-1", s)));

        // More files than one S3 listing page holds.
        var uploaded = await _h.Content.PublishAsync(id, new MemoryStream(Content.TestZips.Site(
            Enumerable.Range(0, Objects).Select(i => ($"pages/{i:0000}.html", $"<p>{i}</p>")).ToArray())), TestActors.Alice, Portal.Core.Content.ContentSource.Upload);
        Assert.True(uploaded.Succeeded, uploaded.Problem?.Message);

        await _h.PromoteAsync(id);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        request = await _h.RequestAsync(id);
        Assert.Equal(RequestState.Live, request.State);

        var productionSite = StackNaming.Site("portal", DeploymentEnvironment.Production, "docs.example.com");
        Assert.Equal("CREATE_COMPLETE", _h.Aws.CloudFormation.StatusOf("us-east-1", productionSite));
        var copied = _h.Aws.S3.Objects(_h.Aws.S3.BucketStartingWith(productionSite + "-"), "production/docs.example.com/");
        Assert.Equal(Objects, copied.Count);
        Assert.Equal("<p>17</p>", copied["production/docs.example.com/pages/0017.html"]);

        var runs = await _h.QueryAsync(db => db.DeploymentRuns.Where(r => r.RequestId == id && r.Environment == DeploymentEnvironment.Production));
        var production = Assert.Single(runs);
        Assert.Equal((Objects, Objects), (production.ObjectsListed, production.ObjectsCopied));
        Assert.Equal("Completed", production.InvalidationStatus);
        var invalidation = Assert.Single(_h.Aws.CloudFront.Invalidations, i => i.DistributionId == production.DistributionId);
        Assert.Equal(["/*"], invalidation.Paths);

        // The shared stack was bootstrapped once and not redeployed for production.
        Assert.Equal(1, _h.Aws.CloudFormation.ChangeSetsCreated[shared]);
        var tracked = await _h.QueryAsync(db => db.Stacks.Where(s => !s.Deleted));
        Assert.Equal(5, tracked.Count(s => s.Kind != StackKind.Headers));
        Assert.All(tracked.Where(s => s.Kind is not (StackKind.Shared or StackKind.Headers)), s => Assert.Equal(id, s.RequestId));
        Assert.All(tracked.Where(s => s.Kind is StackKind.Headers), s => Assert.Null(s.RequestId));
        Assert.Contains("DistributionId", tracked.Single(s => s.StackName == productionSite).OutputsJson, StringComparison.Ordinal);

        // Every event CloudFormation recorded for the portal's stacks is stored, once.
        foreach (var (region, name, _) in _h.Aws.CloudFormation.AllStacks())
        {
            var stored = await _h.QueryAsync(db => db.StackEvents.Where(e => e.Region == region && e.StackName == name));
            var expected = await _h.Aws.CloudFormation.EventCountAsync(region, name);
            Assert.Equal(expected, stored.Count);
        }

        Assert.Empty(_h.Aws.Violations);
    }
}
