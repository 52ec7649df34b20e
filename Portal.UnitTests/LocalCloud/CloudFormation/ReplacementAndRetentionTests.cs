using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>A changed create-only property replaces the resource (the old one goes in the cleanup); DeletionPolicy Retain keeps it.</summary>
public sealed class ReplacementAndRetentionTests
{
    [Fact]
    public void Changing_a_create_only_property_replaces_the_resource_and_deletes_the_old_one_in_the_cleanup()
    {
        var h = new CloudFormationHarness();
        h.Deploy("s", "create", Template(new JsonObject { ["Data"] = Bucket("data-one") }));
        Assert.Null(h.CreateChangeSet("s", "rename", Template(new JsonObject { ["Data"] = Bucket("data-two") }), type: "UPDATE").Error);
        h.Clock.Advance(h.Timings.ChangeSetCreation);
        var change = (Dictionary<string, object?>)((Dictionary<string, object?>)h.Engine.Handle("DescribeChangeSet", Region,
            Input(("ChangeSetName", "rename"), ("StackName", "s"))).Output!.List("Changes")[0]!)["ResourceChange"]!;
        Assert.Equal(("Modify", "True"), (change.Str("Action"), change.Str("Replacement")));

        h.Engine.Handle("ExecuteChangeSet", Region, Input(("ChangeSetName", "rename"), ("StackName", "s")));
        Assert.Equal("UPDATE_COMPLETE", h.Settle("s"));

        var events = h.Events("s").SkipWhile(e => e.Reason != "User Initiated" || e.Status != "UPDATE_IN_PROGRESS").Select(e => (e.Logical, e.Status, e.Physical)).ToList();
        Assert.Equal(("Data", "UPDATE_IN_PROGRESS", "data-one"), events[1]);
        Assert.Equal(("Data", "UPDATE_IN_PROGRESS", "data-two"), events[2]);
        Assert.Equal(("Data", "UPDATE_COMPLETE", "data-two"), events[3]);
        Assert.Equal("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", events[4].Status);
        Assert.Equal([("Data", "DELETE_IN_PROGRESS", "data-one"), ("Data", "DELETE_COMPLETE", "data-one")], events.Skip(5).Take(2));
        Assert.Equal(["data-two"], h.Index.All().Select(r => r.PhysicalId));
    }

    [Fact]
    public void A_retained_resource_is_skipped_on_delete_and_stays_live()
    {
        var h = new CloudFormationHarness();
        h.Deploy("s", "create", Template(new JsonObject { ["Kept"] = Bucket("kept-bucket", deletionPolicy: "Retain"), ["Gone"] = Bucket("gone-bucket") }));
        var id = (string)h.Stack("s")["StackId"]!;
        h.Engine.Handle("DeleteStack", Region, Input(("StackName", "s")));
        Assert.Equal("DELETE_COMPLETE", h.Settle("s"));

        Assert.Contains(h.Events(id), e => (e.Logical, e.Status) == ("Kept", "DELETE_SKIPPED"));
        Assert.Equal(["kept-bucket"], h.Index.All().Select(r => r.PhysicalId));
    }
}
