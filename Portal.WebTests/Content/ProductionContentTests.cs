using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Deployments;
using Portal.Infrastructure.Deployments;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>Production gets the content version the approver promoted, copied by its S3 version ids, whatever testing holds by then.</summary>
public sealed class ProductionContentTests : IAsyncLifetime
{
    private static readonly Actor Approver = Actor.Person("bob", "Bob Approver", DateTimeOffset.UtcNow, PortalRole.Approver);
    private SiteInTesting _site = null!;

    public async Task InitializeAsync() => _site = await SiteInTesting.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task Production_gets_the_approved_version_even_after_testing_moved_on_before_the_deployment()
    {
        var approved = await _site.PublishAsync(TestZips.Site(("index.html", "approved home"), ("about.html", "approved about"), ("assets/app.js", "v1")));
        await _site.H.PromoteAsync(_site.Id);
        Assert.Equal((RequestState.Approved, approved.Id, approved.Number),
            ((await _site.H.RequestAsync(_site.Id)).State, (await _site.H.RequestAsync(_site.Id)).ApprovedContentVersionId, (await _site.H.RequestAsync(_site.Id)).ApprovedContentVersionNumber));

        // Testing moves on after the approval and before the production deployment copies anything.
        var later = await _site.PublishAsync(TestZips.Site(("index.html", "NOT APPROVED"), ("new.html", "not approved either"), ("assets/app.js", "v2")));
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);

        var request = await _site.H.RequestAsync(_site.Id);
        Assert.Equal(RequestState.Live, request.State);
        var productionBucket = await _site.ProductionBucketAsync();
        Assert.NotEqual(_site.Bucket, productionBucket);
        var production = _site.H.Aws.S3.Current(productionBucket, SiteInTesting.ProductionPrefix);
        Assert.Equal(
            new Dictionary<string, string> { ["index.html"] = "approved home", ["about.html"] = "approved about", ["assets/app.js"] = "v1" },
            production.ToDictionary(p => p.Key[SiteInTesting.ProductionPrefix.Length..], p => p.Value.Text));
        Assert.Equal("text/html; charset=utf-8", production[SiteInTesting.ProductionPrefix + "index.html"].ContentType);
        Assert.Equal("max-age=15552000", production[SiteInTesting.ProductionPrefix + "assets/app.js"].CacheControl);
        Assert.Equal("NOT APPROVED", _site.H.Aws.S3.Objects(_site.Bucket, SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"]);

        var run = Assert.Single(await _site.H.QueryAsync(db => db.DeploymentRuns.Where(r => r.RequestId == _site.Id && r.Environment == DeploymentEnvironment.Production)));
        Assert.Equal((approved.Id, 1, 3, 3, 0), (run.ContentVersionId, run.ContentVersionNumber, run.ObjectsListed, run.ObjectsCopied, run.ObjectsRemoved));
        var productionDistribution = await _site.DistributionAsync(DeploymentEnvironment.Production);
        Assert.Equal(1, _site.H.Aws.CloudFront.InvalidationsCreated[productionDistribution]);
        Assert.Contains(request.AuditEvents, e => e.Action == "Promote" && e.Reason!.StartsWith("Content version 1; approved change sets: arn:aws:cloudformation:", StringComparison.Ordinal));

        var view = await _site.H.ContentQueries.VersionsAsync(_site.Id);
        Assert.Equal((later.Id, approved.Id), (view.Testing?.Id, view.Production?.Id));
        Assert.Empty(_site.H.Aws.Violations);
    }

    [Fact]
    public async Task An_approver_who_reviewed_a_version_cannot_promote_once_testing_has_moved_on()
    {
        var reviewed = await _site.PublishAsync(TestZips.Site(("index.html", "reviewed")));
        Assert.True((await _site.H.Requests.ApplyAsync(_site.Id, WorkflowAction.RequestApproval, TestActors.Alice)).Succeeded);
        await _site.PublishAsync(TestZips.Site(("index.html", "slipped in")));

        var refused = await _site.H.Requests.PromoteAsync(_site.Id, Approver, expectedContentVersionId: reviewed.Id);

        Assert.False(refused.Succeeded);
        Assert.Equal(RefusalCode.Conflict, refused.Code);
        Assert.Equal("Testing has moved on to content version 2 since you looked. Reload the page to review it, then decide.", refused.Message);
        Assert.Equal(RequestState.AwaitingApproval, (await _site.H.RequestAsync(_site.Id)).State);
    }

    [Fact]
    public async Task A_promotion_with_the_page_open_before_an_upload_is_refused_by_the_requests_version()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "one")));
        Assert.True((await _site.H.Requests.ApplyAsync(_site.Id, WorkflowAction.RequestApproval, TestActors.Alice)).Succeeded);
        var seen = (await _site.H.RequestAsync(_site.Id)).Version;
        await _site.PublishAsync(TestZips.Site(("index.html", "two")));

        var refused = await _site.H.Requests.ApplyAsync(_site.Id, WorkflowAction.Promote, Approver, expectedVersion: seen);

        Assert.Equal(RefusalCode.Conflict, refused.Code);
    }

    [Fact]
    public async Task The_approval_view_shows_the_version_to_promote_and_the_files_added_changed_and_removed_against_production()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "home"), ("about.html", "about"), ("old.html", "old"), ("style.css", "a{}")));
        await _site.H.PromoteAsync(_site.Id);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);
        var next = await _site.PublishAsync(TestZips.Site(("index.html", "home"), ("about.html", "about, edited"), ("style.css", "a{}"), ("news.html", "news"), ("extra/new.js", "js")));

        var view = await _site.H.ContentQueries.ApprovalAsync(_site.Id);

        Assert.Equal((2, 1, false), (view.Candidate?.Number, view.Live?.Number, view.Pinned));
        Assert.Equal(["extra/new.js", "news.html"], view.Diff.Added);
        Assert.Equal(["about.html"], view.Diff.Changed);
        Assert.Equal(["old.html"], view.Diff.Removed);
        Assert.Equal("Promotion copies content version 2 over version 1: 2 added, 1 changed, 1 removed.", view.Explanation);
        Assert.Equal(next.Id, view.Candidate!.Id);
    }

    [Fact]
    public async Task A_version_whose_replaced_files_expired_fails_the_deployment_with_the_missing_files_named()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "approved"), ("keep.css", "k")));
        await _site.H.PromoteAsync(_site.Id);
        await _site.PublishAsync(TestZips.Site(("index.html", "newer"), ("keep.css", "k")));

        // As a bucket whose lifecycle keeps no replaced versions by count (a stack made before sites chose a retention).
        _site.H.Aws.S3.SetNewerNoncurrentVersions(_site.Bucket, null);
        _site.H.Aws.S3.ExpireNoncurrent(_site.Bucket);

        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);

        var request = await _site.H.RequestAsync(_site.Id);
        Assert.Equal(RequestState.ProductionFailed, request.State);
        Assert.Equal(
            "Content version 1 could not be copied to production: 1 of its 2 files are no longer in the content bucket (index.html). Replaced files are kept only for the site's retained number of content versions; upload the content again and ask for approval again.",
            request.FailureMessage);
        Assert.DoesNotContain(SiteInTesting.ProductionPrefix + "index.html", _site.H.Aws.S3.Current(await _site.ProductionBucketAsync(), SiteInTesting.ProductionPrefix).Keys);
    }

    [Fact]
    public async Task A_content_bucket_removed_before_the_copy_to_production_fails_the_deployment_with_the_reason_instead_of_waiting_for_ever()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "approved")));
        await _site.H.PromoteAsync(_site.Id);
        _site.H.Aws.S3.RemoveBucket(_site.Bucket);

        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);

        var request = await _site.H.RequestAsync(_site.Id);
        Assert.Equal(RequestState.ProductionFailed, request.State);
        Assert.Equal(
            "Content version 1 could not be copied to production: 1 of its 1 files are no longer in the content bucket (index.html). " +
            "Replaced files are kept only for the site's retained number of content versions; upload the content again and ask for approval again.",
            request.FailureMessage);
    }

    [Fact]
    public async Task A_site_promoted_without_content_copies_nothing_to_production()
    {
        await _site.H.PromoteAsync(_site.Id);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);

        Assert.Equal(RequestState.Live, (await _site.H.RequestAsync(_site.Id)).State);
        Assert.Empty(_site.H.Aws.S3.Current(await _site.ProductionBucketAsync(), ""));
        Assert.Equal(0, _site.H.Aws.S3.Writes.GetValueOrDefault("CopyObject"));
        Assert.Contains((await _site.H.RequestAsync(_site.Id)).AuditEvents, e => e.Action == "Promote" && e.Reason!.StartsWith("No content version; approved change sets: arn:aws:cloudformation:", StringComparison.Ordinal));
        Assert.Null((await _site.H.ContentQueries.VersionsAsync(_site.Id)).Production);
    }
}
