using System.Text.Json.Nodes;
using Portal.Core.Templates;
using Portal.LocalCloud.Edge;
using Portal.LocalCloud.Resources;
using Portal.LocalCloud.Templates;

namespace Portal.Tests.LocalCloud.Edge;

/// <summary>
/// A site environment's content is readable only through its own distribution: another distribution of the same
/// account whose origin names the site's bucket gets S3's AccessDenied, as the bucket policy names one distribution.
/// </summary>
public sealed class SiteBucketIsolationTests
{
    private readonly EdgeFixture _edge = new();

    [Fact]
    public void Another_distribution_of_the_account_reading_the_sites_bucket_is_denied()
    {
        var site = DeployedStacks.ExampleSite().Single(s => s.Kind == StackKind.Site);
        var intruder = DeployedStacks.Resolved(site)["Resources"]!["Distribution"]!["Properties"]!.DeepClone().AsObject();
        intruder["DistributionConfig"]!["Aliases"] = new JsonArray("intruder.example.com");
        _edge.Index.Put(new LiveResource("arn:aws:cloudformation:us-east-1:" + TemplateEvaluator.AccountId + ":stack/intruder/1",
            "Distribution", EdgeDistribution.ResourceType, "EINTRUDER00001", intruder,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["Id"] = "EINTRUDER00001", ["DomainName"] = "d0000000intruder.cloudfront.net" }));

        var stolen = _edge.Get("intruder.example.com", "/index.html");
        var own = _edge.Get(EdgeFixture.Site, "/index.html");

        Assert.Equal(403, stolen.Status);
        Assert.Contains("<Code>AccessDenied</Code>", EdgeFixture.Text(stolen), StringComparison.Ordinal);
        Assert.Equal(200, own.Status);
    }

    [Fact]
    public void The_sites_origin_is_its_own_bucket_not_the_shared_one()
    {
        var site = DeployedStacks.ExampleSite().Single(s => s.Kind == StackKind.Site);
        var distribution = _edge.Handler.Distributions().Single(d => d.Aliases.Contains(EdgeFixture.Site));

        Assert.Equal(DeployedStacks.ContentBucketOf(site), distribution.Origins.Single().S3Bucket);
        Assert.True(distribution.Origins.Single().SignsRequests);
    }
}
