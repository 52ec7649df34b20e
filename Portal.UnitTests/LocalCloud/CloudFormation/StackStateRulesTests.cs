using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>Which stack states take an update: none while in progress, none after a failed creation (delete only), and none without changes.</summary>
public sealed class StackStateRulesTests
{
    [Fact]
    public void An_update_is_refused_while_the_stack_is_in_progress()
    {
        var h = new CloudFormationHarness();
        h.Start("s", "create", Template(new JsonObject { ["A"] = Bucket(), ["B"] = Bucket() }));
        Assert.Equal("CREATE_IN_PROGRESS", h.Engine.StatusOf(Region, "s"));
        var id = (string)h.Stack("s")["StackId"]!;
        var refused = h.CreateChangeSet("s", "update", Template(new JsonObject { ["A"] = Bucket() }), type: "UPDATE").Error;
        Assert.Equal(("ValidationError", $"Stack:{id} is in CREATE_IN_PROGRESS state and can not be updated."), (refused?.Code, refused?.Message));
    }

    [Fact]
    public void A_stack_whose_creation_rolled_back_can_only_be_deleted()
    {
        var h = new CloudFormationHarness();
        h.Engine.FailResource("s", "A", "boom");
        Assert.Equal("ROLLBACK_COMPLETE", h.Deploy("s", "create", Template(new JsonObject { ["A"] = Bucket() })));
        var id = (string)h.Stack("s")["StackId"]!;

        var update = h.CreateChangeSet("s", "update", Template(new JsonObject { ["A"] = Bucket() }), type: "UPDATE").Error;
        Assert.Equal($"Stack:{id} is in ROLLBACK_COMPLETE state and can not be updated.", update?.Message);
        var create = h.CreateChangeSet("s", "again", Template(new JsonObject { ["A"] = Bucket() })).Error;
        Assert.Equal("Stack [s] already exists and cannot be created again with the changeSet [again].", create?.Message);

        Assert.Null(h.Engine.Handle("DeleteStack", Region, Input(("StackName", "s"))).Error);
        Assert.Equal("DELETE_COMPLETE", h.Settle("s"));
    }

    [Fact]
    public void A_change_set_without_changes_fails_with_AWS_reason()
    {
        var h = new CloudFormationHarness();
        var template = Template(new JsonObject { ["A"] = Bucket("fixed-name") });
        Assert.Equal("CREATE_COMPLETE", h.Deploy("s", "create", template));
        Assert.Null(h.CreateChangeSet("s", "same", template, type: "UPDATE").Error);
        h.Clock.Advance(h.Timings.ChangeSetCreation);
        var described = h.Engine.Handle("DescribeChangeSet", Region, Input(("ChangeSetName", "same"), ("StackName", "s"))).Output!;
        Assert.Equal(("FAILED", CloudFormationService.NoChangesReason), (described.Str("Status"), described.Str("StatusReason")));
    }
}
