using System.Text;
using Portal.Core.Content;
using Portal.Core.Requests;
using Portal.Core.Workflow;
using Portal.Infrastructure.Content;
using Portal.LocalCloud.Edge;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>
/// Rolling content back: an earlier version's exact objects become testing's content again as a new version "restored
/// from" it, the approver sees that version and its diff against production, and after approval by another person the
/// production distribution serves the old content through the local cloud's edge. A version the site no longer keeps,
/// or whose objects are gone, is refused with nothing changed.
/// </summary>
public sealed class ContentRollbackTests : IAsyncLifetime
{
    private SiteInTesting _site = null!;

    public async Task InitializeAsync() => _site = await SiteInTesting.StartAsync(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], KeepContentVersions = 3 });

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task An_older_version_restored_to_testing_reaches_production_through_approval_and_the_production_edge_serves_it()
    {
        var first = await _site.PublishAsync(TestZips.Site(("index.html", "first home"), ("about.html", "first about")));
        await _site.H.PromoteAsync(_site.Id);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);
        await ReviseToTestingReadyAsync();
        await _site.PublishAsync(TestZips.Site(("index.html", "second home"), ("about.html", "first about"), ("new.html", "only in the second")));
        await _site.H.PromoteAsync(_site.Id);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);
        Assert.Equal("second home", Text(Production("/")));
        await ReviseToTestingReadyAsync();
        var testingDistribution = await _site.DistributionAsync(DeploymentEnvironment.Testing);
        var invalidations = _site.H.Aws.CloudFront.InvalidationsCreated.GetValueOrDefault(testingDistribution);

        var restored = await _site.H.Content.RestoreAsync(_site.Id, first.Number, TestActors.Alice);

        Assert.True(restored.Succeeded, restored.Problem?.Message);
        Assert.Equal((3, ContentSource.Restored, 1), (restored.Version!.Number, restored.Version.Source, restored.Version.RestoredFrom));
        Assert.Equal(
            new Dictionary<string, string> { [SiteInTesting.TestingPrefix + "index.html"] = "first home", [SiteInTesting.TestingPrefix + "about.html"] = "first about" },
            _site.H.Aws.S3.Objects(_site.Bucket, SiteInTesting.TestingPrefix));
        Assert.Equal(invalidations + 1, _site.H.Aws.CloudFront.InvalidationsCreated[testingDistribution]);
        var audit = (await _site.H.RequestAsync(_site.Id)).AuditEvents.OrderBy(e => e.Sequence).Last();
        Assert.Equal("RestoreContent", audit.Action);
        Assert.StartsWith("Content version 3 restored to testing from version 1: 2 files", audit.Reason, StringComparison.Ordinal);

        var review = await _site.H.ContentQueries.ApprovalAsync(_site.Id);
        Assert.Equal("Promotion copies content version 3 (restored from 1) over version 2: 0 added, 1 changed, 1 removed.", review.Explanation);
        Assert.Equal(["index.html"], review.Diff.Changed);
        Assert.Equal(["new.html"], review.Diff.Removed);

        await _site.H.PromoteAsync(_site.Id);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);

        var request = await _site.H.RequestAsync(_site.Id);
        Assert.Equal((RequestState.Live, restored.Version.Id), (request.State, request.ApprovedContentVersionId));
        Assert.Equal((200, "first home"), (Production("/").Status, Text(Production("/"))));
        Assert.Equal("first about", Text(Production("/about.html")));
        Assert.NotEqual(200, Production("/new.html").Status);
        Assert.Empty(_site.H.Aws.Violations);
    }

    [Fact]
    public async Task A_version_older_than_the_site_keeps_is_shown_expired_and_refused()
    {
        for (var i = 1; i <= 5; i++)
        {
            await _site.PublishAsync(TestZips.Site(("index.html", $"home {i}")));
        }

        var rows = (await _site.H.ContentQueries.VersionsAsync(_site.Id)).Versions.ToDictionary(r => r.Version.Number);
        Assert.Equal([(5, false, false), (4, true, false), (3, true, false), (2, true, false), (1, false, true)],
            rows.Values.OrderByDescending(r => r.Version.Number).Select(r => (r.Version.Number, r.Restorable, r.Expired)));
        var writes = _site.H.Aws.S3.WriteCount;

        var refused = await _site.H.Content.RestoreAsync(_site.Id, 1, TestActors.Alice);

        Assert.Equal(ContentProblemKind.NotReady, refused.Problem?.Kind);
        Assert.Equal("Content version 1 cannot be restored. No longer restorable: the site keeps its 3 previous content versions, and this one is 4 behind.", refused.Problem?.Message);
        Assert.Equal(writes, _site.H.Aws.S3.WriteCount);
    }

    [Fact]
    public async Task A_version_whose_objects_are_gone_fails_with_the_files_named_and_testing_unchanged()
    {
        var first = await _site.PublishAsync(TestZips.Site(("index.html", "first"), ("keep.css", "k")));
        await _site.PublishAsync(TestZips.Site(("index.html", "second"), ("keep.css", "k")));
        var gone = (await _site.H.ContentQueries.FilesAsync(_site.Id, first.Id))!.Single(f => f.Path == "index.html");
        Assert.Null(_site.H.Aws.S3.Handle("DeleteObject", new Dictionary<string, object?>
        {
            ["Bucket"] = _site.Bucket, ["Key"] = SiteInTesting.TestingPrefix + "index.html", ["VersionId"] = gone.VersionId,
        }).Error);
        var writes = _site.H.Aws.S3.WriteCount;

        var refused = await _site.H.Content.RestoreAsync(_site.Id, 1, TestActors.Alice);

        Assert.Equal("Content version 1 can no longer be restored: 1 of its 2 files are no longer stored (index.html). Testing was not changed.", refused.Problem?.Message);
        Assert.Equal(writes, _site.H.Aws.S3.WriteCount);
        Assert.Equal("second", _site.H.Aws.S3.Objects(_site.Bucket, SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"]);
        Assert.Equal(2, (await _site.H.ContentQueries.VersionsAsync(_site.Id)).Versions.Count);
    }

    [Fact]
    public async Task Someone_who_may_not_upload_may_not_restore_either()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "first")));
        await _site.PublishAsync(TestZips.Site(("index.html", "second")));

        var refused = await _site.H.Content.RestoreAsync(_site.Id, 1, TestActors.Rita);

        Assert.Equal(ContentProblemKind.Forbidden, refused.Problem?.Kind);
        Assert.Equal("second", _site.H.Aws.S3.Objects(_site.Bucket, SiteInTesting.TestingPrefix)[SiteInTesting.TestingPrefix + "index.html"]);
    }

    /// <summary>Content reaches production with a promotion, which a live site gets with a new revision (here its same settings).</summary>
    private async Task ReviseToTestingReadyAsync()
    {
        var request = await _site.H.RequestAsync(_site.Id);
        var revised = await _site.H.Requests.ReviseAsync(_site.Id, request.CurrentRevision.Spec, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.TestingReady, RequestState.TestingFailed);
    }

    /// <summary>What the production distribution answers for a path, through the local cloud's edge.</summary>
    private EdgeResponse Production(string path)
    {
        var edge = new EdgeRequestHandler(_site.H.Aws.Endpoint.Resources, _site.H.Aws.S3, new CloudFrontFunctionRuntime(TimeSpan.FromSeconds(5)), () => 8443);
        return edge.Handle(new EdgeRequest(true, SiteInTesting.Host, "GET", path, "", [new("Host", SiteInTesting.Host)], "198.51.100.11"));
    }

    private static string Text(EdgeResponse response) => Encoding.UTF8.GetString(response.Body);
}
