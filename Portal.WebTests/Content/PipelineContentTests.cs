using System.Security.Cryptography;
using System.Text;
using Portal.Core.Content;
using Portal.Infrastructure.Content;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Infrastructure.Requests;
using Portal.Core.Workflow;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Content;

/// <summary>Content a pipeline published straight to testing (with the deploy role) recorded as a version, then promoted and copied to production like any other.</summary>
public sealed class PipelineContentTests : IAsyncLifetime
{
    private SiteInTesting _site = null!;

    public async Task InitializeAsync() => _site = await SiteInTesting.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task What_a_pipeline_published_is_recorded_with_hashes_and_version_ids_and_copied_to_production_exactly()
    {
        var indexVersion = _site.H.Aws.S3.Put(_site.Bucket, SiteInTesting.TestingPrefix + "index.html", "from CI", "text/html");
        _site.H.Aws.S3.Put(_site.Bucket, SiteInTesting.TestingPrefix + "assets/app.js", "ci js", "text/javascript");

        var recorded = await _site.H.Content.RecordTestingAsync(_site.Id, TestActors.Alice);

        Assert.True(recorded.Succeeded, recorded.Problem?.Message);
        Assert.Equal((1, ContentSource.Testing, 2, ""), (recorded.Version!.Number, recorded.Version.Source, recorded.Version.FileCount, recorded.Version.ArchiveSha256));
        var files = (await _site.H.ContentQueries.FilesAsync(_site.Id, recorded.Version.Id))!;
        var index = files.Single(f => f.Path == "index.html");
        Assert.Equal((7L, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("from CI"))), indexVersion, "text/html"),
            (index.Size, index.Sha256, index.VersionId, index.ContentType));
        Assert.Equal("Content version 1 recorded from what testing holds: 2 files, 12 bytes (2 added, 0 changed, 0 removed)", (await _site.H.RequestAsync(_site.Id)).AuditEvents[^1].Reason);

        // The pipeline runs again after the approval; production still gets what was recorded and approved.
        await _site.H.PromoteAsync(_site.Id);
        _site.H.Aws.S3.Put(_site.Bucket, SiteInTesting.TestingPrefix + "index.html", "later CI run", "text/html");
        await _site.H.RunUntilStateAsync(_site.Id, RequestState.Live, RequestState.ProductionFailed);

        Assert.Equal("from CI", _site.H.Aws.S3.Objects(await _site.ProductionBucketAsync(), SiteInTesting.ProductionPrefix)[SiteInTesting.ProductionPrefix + "index.html"]);
        Assert.Equal(0, _site.H.Aws.S3.Writes.GetValueOrDefault("PutObject"));
        Assert.Empty(_site.H.Aws.Violations);
    }

    [Fact]
    public async Task A_file_larger_than_one_file_may_be_is_not_recorded_because_it_could_not_be_copied_to_production()
    {
        await using var site = await SiteInTesting.StartAsync(configure: h => h.ContentOptions = h.ContentOptions with { MaxFileBytes = 16 });
        site.H.Aws.S3.Put(site.Bucket, SiteInTesting.TestingPrefix + "index.html", "small", "text/html");
        site.H.Aws.S3.Put(site.Bucket, SiteInTesting.TestingPrefix + "big.bin", new string('x', 17));

        var recorded = await site.H.Content.RecordTestingAsync(site.Id, TestActors.Alice);

        Assert.False(recorded.Succeeded);
        Assert.Equal((ContentProblemKind.Refused, ContentRefusalReason.TooLarge), (recorded.Problem!.Kind, recorded.Problem.Refusal));
        Assert.Equal("Testing holds 1 file(s) larger than 16 bytes, the most one file may be ('big.bin'); nothing was recorded.", recorded.Problem.Message);
        Assert.Empty((await site.H.ContentQueries.VersionsAsync(site.Id)).Versions);
    }

    [Fact]
    public async Task Recording_again_reads_only_what_changed_and_records_nothing_when_nothing_did()
    {
        await _site.PublishAsync(TestZips.Site(("index.html", "portal upload"), ("a.css", "a"), ("b.css", "b")));
        var unchanged = await _site.H.Content.RecordTestingAsync(_site.Id, TestActors.Alice);
        Assert.Equal((1, "Testing holds exactly content version 1; nothing new was recorded."), (unchanged.Version!.Number, unchanged.Warning));
        Assert.False(_site.H.Aws.CallsByOperation().ContainsKey("GetObject"));

        _site.H.Aws.S3.Put(_site.Bucket, SiteInTesting.TestingPrefix + "a.css", "a, changed by CI", "text/css");
        var changed = await _site.H.Content.RecordTestingAsync(_site.Id, TestActors.Alice);

        Assert.Equal((2, 0, 1, 0), (changed.Version!.Number, changed.Version.Added, changed.Version.Changed, changed.Version.Removed));
        Assert.Equal(1, _site.H.Aws.CallsByOperation()["GetObject"]);
        Assert.Empty(_site.H.Aws.Violations);
    }

    [Fact]
    public async Task A_site_with_a_deploy_role_tells_its_pipeline_the_role_location_and_distribution_and_production_has_no_role()
    {
        await using var site = await SiteInTesting.StartAsync(TestSpecs.Site(SiteInTesting.Host) with { RedirectFrom = [], DeployRole = new("acme/docs-site", "main") });

        var pipeline = (await site.H.ContentQueries.VersionsAsync(site.Id)).Pipeline;

        Assert.NotNull(pipeline);
        Assert.StartsWith("arn:aws:iam::123456789012:role/", pipeline.DeployRoleArn, StringComparison.Ordinal);
        Assert.Equal(($"s3://{site.Bucket}/{SiteInTesting.TestingPrefix}", await site.DistributionAsync(DeploymentEnvironment.Testing)), (pipeline.TestingLocation, pipeline.TestingDistributionId));
        Assert.Equal(Portal.Core.Content.PipelineCacheCommands.For(Portal.Core.Templates.StackRenderer.SeedCacheRules, "./public", pipeline.TestingLocation), pipeline.PublishCommands);
        Assert.Null((await _site.H.ContentQueries.VersionsAsync(_site.Id)).Pipeline!.DeployRoleArn);

        await site.PublishAsync(TestZips.Site(("index.html", "x")));
        await site.H.PromoteAsync(site.Id);
        await site.H.RunUntilStateAsync(site.Id, RequestState.Live, RequestState.ProductionFailed);
        var production = Assert.Single(await site.H.QueryAsync(db => db.Stacks.Where(s => s.RequestId == site.Id && s.Kind == StackKind.Site && s.Environment == DeploymentEnvironment.Production)));
        Assert.DoesNotContain("DeployRoleArn", production.OutputsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_testing_prefix_has_nothing_to_record()
    {
        var result = await _site.H.Content.RecordTestingAsync(_site.Id, TestActors.Alice);

        Assert.Equal((ContentProblemKind.NotReady, "Testing holds no content to record."), (result.Problem?.Kind, result.Problem?.Message));
    }
}
