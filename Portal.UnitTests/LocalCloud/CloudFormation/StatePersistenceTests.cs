using System.Text.Json.Nodes;
using Portal.LocalCloud.Resources;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>The local cloud's state saved mid-deployment and restored into fresh services finishes the deployment the same way.</summary>
public sealed class StatePersistenceTests
{
    private static JsonObject Stack() => Template(new JsonObject
    {
        ["Logs"] = Bucket(),
        ["Content"] = Bucket(dependsOn: "Logs"),
        ["Failing"] = Bucket(dependsOn: "Content"),
    }, outputs: new JsonObject { ["Logs"] = new JsonObject { ["Value"] = new JsonObject { ["Ref"] = "Logs" } } });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_deployment_saved_halfway_finishes_the_same_way_after_a_restore(bool failing)
    {
        var original = new CloudFormationHarness();
        var copy = new CloudFormationHarness();
        foreach (var h in new[] { original, copy })
        {
            if (failing)
            {
                h.Engine.FailResource("s", "Failing", "Resource handler returned message: \"Rate exceeded\"");
            }
        }

        original.Start("s", "cs", Stack());
        for (var i = 0; i < 4; i++)
        {
            original.Clock.Advance(original.Timings.ResourceStep);
        }

        Assert.Equal("CREATE_IN_PROGRESS", original.Engine.StatusOf(Region, "s"));
        var saved = original.Engine.SaveState();

        copy.Clock.AdjustTime(original.Clock.GetUtcNow());
        copy.Engine.RestoreState(JsonNode.Parse(saved.ToJsonString())!.AsObject());
        Assert.Equal(original.Index.All().Select(r => r.PhysicalId), copy.Index.All().Select(r => r.PhysicalId));

        var expected = original.Settle("s");
        Assert.Equal(expected, copy.Settle("s"));
        Assert.Equal(failing ? "ROLLBACK_COMPLETE" : "CREATE_COMPLETE", expected);
        Assert.Equal(original.Events("s").Select(e => (e.Logical, e.Status, e.Reason, e.Physical)), copy.Events("s").Select(e => (e.Logical, e.Status, e.Reason, e.Physical)));
        Assert.Equal(original.Index.All().Select(r => (r.LogicalId, r.PhysicalId)), copy.Index.All().Select(r => (r.LogicalId, r.PhysicalId)));
        Assert.Equal(original.Engine.StacksCreated, copy.Engine.StacksCreated);
    }

    [Fact]
    public void Route53_zones_and_CloudFront_invalidations_survive_a_save_and_restore()
    {
        var route53 = new Route53Service();
        var zone = route53.AddZone("example.com");
        route53.AddRecord(zone, "www.example.com", "A", "192.0.2.1");
        var restored = new Route53Service();
        restored.RestoreState(JsonNode.Parse(route53.SaveState().ToJsonString())!.AsObject());
        Assert.Equal(route53.Zones().Select(z => (z.Id, z.Name, z.Records.Count)), restored.Zones().Select(z => (z.Id, z.Name, z.Records.Count)));
        Assert.Equal("192.0.2.1", restored.Zones()[0].Records[0].Values[0]);

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var cloudFront = new CloudFrontService(clock, _ => true, TimeSpan.FromSeconds(1));
        var batch = Input(("CallerReference", "ref-1"), ("Paths", Input(("Quantity", "1"), ("Items", new List<object?> { "/*" }))));
        var created = cloudFront.Handle("CreateInvalidation", Input(("DistributionId", "E1"), ("InvalidationBatch", batch)));
        var again = new CloudFrontService(clock, _ => true, TimeSpan.FromSeconds(1));
        again.RestoreState(JsonNode.Parse(cloudFront.SaveState().ToJsonString())!.AsObject());
        var id = ((Dictionary<string, object?>)created.Output!["Invalidation"]!).Str("Id");
        Assert.Null(again.Handle("GetInvalidation", Input(("DistributionId", "E1"), ("Id", id))).Error);
        Assert.Equal(1, again.InvalidationsCreated["E1"]);
    }
}
