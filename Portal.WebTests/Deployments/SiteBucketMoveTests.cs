using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Content;
using Portal.Core.Requests;
using Portal.Core.Templates;
using Portal.Core.Workflow;
using Portal.Infrastructure.Content;
using Portal.Infrastructure.Deployments;
using Portal.Infrastructure.Requests;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Deployments;

/// <summary>
/// A site deployed while sites shared the shared stack's content bucket moves to buckets of its own on its template
/// upgrade, with no hand migration: testing serves its latest content from its new bucket, uploads go there, and
/// production gets the approved version, recorded in the shared bucket, copied into its own.
/// </summary>
public sealed class SiteBucketMoveTests : IAsyncLifetime
{
    private const string Prefix = "testing/docs.example.com/";
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task The_template_upgrade_moves_testing_content_into_the_sites_own_bucket_and_production_gets_it_into_its_own()
    {
        var current = _h.Source;
        _h.Source = SharedBucketRelease(current);
        _h.NewEngine();
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.Equal(RequestState.TestingReady, (await _h.RequestAsync(id)).State);
        var before = _h.Aws.S3.Put(EngineHarness.Settings.ContentBucketName, Prefix + "index.html", "<h1>before</h1>", "text/html; charset=utf-8", "max-age=43200");
        await RecordSharedBucketVersionAsync(id, new ContentFile("index.html", 15, new string('a', 64), before, "text/html; charset=utf-8", "max-age=43200"));

        // Until testing has a bucket of its own, an upload is refused rather than written where no policy protects it.
        var refused = await _h.Content.PublishAsync(id, new MemoryStream(Content.TestZips.Site(("index.html", "too early"))), TestActors.Alice, ContentSource.Upload);
        Assert.Equal(ContentProblemKind.NotReady, refused.Problem?.Kind);
        Assert.Contains("moving to its own content bucket", refused.Problem!.Message, StringComparison.Ordinal);

        // The next release of the portal: the upgrade check finds the site and redeploys testing.
        _h.Source = current;
        _h.NewEngine();
        Assert.Equal(1, await new TemplateUpgrades(_h.Db, _h.Requests, current, NullLogger.Instance).StartAsync());
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        Assert.Equal(RequestState.TestingReady, (await _h.RequestAsync(id)).State);

        var testingBucket = await OutputAsync(id, DeploymentEnvironment.Testing, "ContentBucketName");
        Assert.NotEqual(EngineHarness.Settings.ContentBucketName, testingBucket);
        var moved = _h.Aws.S3.Current(testingBucket, Prefix);
        Assert.Equal("<h1>before</h1>", moved[Prefix + "index.html"].Text);
        Assert.Equal(("text/html; charset=utf-8", "max-age=43200"), (moved[Prefix + "index.html"].ContentType, moved[Prefix + "index.html"].CacheControl));
        var move = (await _h.QueryAsync(db => db.DeploymentRuns.Where(r => r.RequestId == id && r.Environment == DeploymentEnvironment.Testing))).OrderBy(r => r.CreatedAt).Last();
        Assert.Equal((1, 1), (move.ContentVersionNumber, move.ObjectsCopied));
        Assert.NotNull(move.InvalidationId);

        // Uploads now land in the new bucket.
        var uploaded = await _h.Content.PublishAsync(id, new MemoryStream(Content.TestZips.Site(("index.html", "<h1>after</h1>"))), TestActors.Alice, ContentSource.Upload);
        Assert.True(uploaded.Succeeded, uploaded.Problem?.Message);
        Assert.Equal("<h1>after</h1>", _h.Aws.S3.Objects(testingBucket, Prefix)[Prefix + "index.html"]);
        Assert.Equal("<h1>before</h1>", _h.Aws.S3.Objects(EngineHarness.Settings.ContentBucketName, Prefix)[Prefix + "index.html"]);

        await _h.PromoteAsync(id);
        await _h.RunUntilStateAsync(id, RequestState.Live, RequestState.ProductionFailed);
        var live = await _h.RequestAsync(id);
        Assert.True(live.State == RequestState.Live, live.FailureMessage);
        var productionBucket = await OutputAsync(id, DeploymentEnvironment.Production, "ContentBucketName");
        Assert.Equal("<h1>after</h1>", _h.Aws.S3.Objects(productionBucket, "production/docs.example.com/")["production/docs.example.com/index.html"]);
        Assert.Empty(_h.Aws.Violations);
    }

    [Fact]
    public async Task A_testing_redeploy_whose_bucket_already_holds_the_latest_version_copies_nothing()
    {
        var id = await _h.SubmitAsync(TestSpecs.Site() with { RedirectFrom = [] });
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);
        var uploaded = await _h.Content.PublishAsync(id, new MemoryStream(Content.TestZips.Site(("index.html", "<h1>one</h1>"))), TestActors.Alice, ContentSource.Upload);
        Assert.True(uploaded.Succeeded, uploaded.Problem?.Message);
        var copies = _h.Aws.S3.Writes.GetValueOrDefault("CopyObject");

        var revised = await _h.Requests.ReviseAsync(id, TestSpecs.Site() with { RedirectFrom = [], ReferrerPolicy = "no-referrer" }, TestActors.Alice);
        Assert.True(revised.Succeeded, revised.Message);
        await _h.RunUntilStateAsync(id, RequestState.TestingReady, RequestState.TestingFailed);

        Assert.Equal(RequestState.TestingReady, (await _h.RequestAsync(id)).State);
        Assert.Equal(copies, _h.Aws.S3.Writes.GetValueOrDefault("CopyObject"));
        var runs = await _h.QueryAsync(db => db.DeploymentRuns.Where(r => r.RequestId == id));
        Assert.All(runs, r => Assert.Null(r.ContentVersionId));
    }

    /// <summary>A content version as the portal recorded it before sites had buckets of their own: in the shared bucket.</summary>
    private async Task RecordSharedBucketVersionAsync(Guid id, ContentFile file)
    {
        await using var db = await _h.Db.CreateDbContextAsync();
        var request = await db.Requests.Include(r => r.Revisions).Include(r => r.AuditEvents).SingleAsync(r => r.Id == id);
        var now = _h.Clock.GetUtcNow();
        var version = ContentVersion.Create(Guid.CreateVersion7(now), id, 1, request.CurrentRevisionNumber, ContentSource.Upload, TestActors.Alice, now,
            [file], new string('b', 64), ContentDiff.Between(null, [file]), null, null, bucket: null);
        Assert.True(request.RecordContentVersion(TestActors.Alice, 1, "1 file", readFromTesting: false, now).Allowed);
        db.ContentVersions.Add(version);
        await db.SaveChangesAsync();
    }

    private async Task<string> OutputAsync(Guid id, DeploymentEnvironment environment, string output)
    {
        var stacks = await _h.QueryAsync(db => db.Stacks.Where(s => s.RequestId == id && s.Kind == StackKind.Site && s.Environment == environment && !s.Deleted));
        return JsonSerializer.Deserialize<Dictionary<string, string>>(Assert.Single(stacks).OutputsJson)![output];
    }

    /// <summary>The site template as it was while every site read the shared content bucket.</summary>
    private static SiteTemplateRelease SharedBucketRelease(IDeploymentStackSource current) => new(current, template =>
    {
        var resources = template["Resources"]!.AsObject();
        foreach (var logicalId in new[] { "ContentBucket", "ContentBucketPolicy" })
        {
            resources.Remove(logicalId);
        }

        resources["Distribution"]!["Properties"]!["DistributionConfig"]!["Origins"]![0]!["DomainName"] = $"{current.ContentBucket}.s3.{current.ContentRegion}.amazonaws.com";
        template["Outputs"]!.AsObject().Remove("ContentBucketName");
    });
}
