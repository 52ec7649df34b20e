using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>A resource that fails to create (its properties break its schema) rolls the stack back: what was created is deleted, newest first.</summary>
public sealed class RollbackTests
{
    [Fact]
    public void Invalid_properties_fail_the_resource_with_AWS_reason_and_roll_back_what_was_created()
    {
        var h = new CloudFormationHarness();
        var template = Template(new JsonObject
        {
            ["First"] = Bucket(),
            ["Second"] = Bucket(dependsOn: "First"),
            ["Broken"] = new JsonObject { ["Type"] = "AWS::S3::Bucket", ["DependsOn"] = "Second", ["Properties"] = new JsonObject { ["NoSuchProperty"] = "x" } },
        });
        Assert.Equal("ROLLBACK_COMPLETE", h.Deploy("s", "cs", template));

        var events = h.Events("s");
        var failed = Assert.Single(events, e => e.Status == "CREATE_FAILED");
        Assert.Equal("Broken", failed.Logical);
        Assert.StartsWith("Properties validation failed for resource Broken with message: [#", failed.Reason, StringComparison.Ordinal);
        var rollback = Assert.Single(events, e => e.Status == "ROLLBACK_IN_PROGRESS");
        Assert.Equal("The following resource(s) failed to create: [Broken]. Rollback requested by user.", rollback.Reason);
        var afterFailure = events.SkipWhile(e => e.Status != "ROLLBACK_IN_PROGRESS").Select(e => (e.Logical, e.Status)).ToList();
        Assert.Equal([("s", "ROLLBACK_IN_PROGRESS"), ("Second", "DELETE_IN_PROGRESS"), ("Second", "DELETE_COMPLETE"),
            ("First", "DELETE_IN_PROGRESS"), ("First", "DELETE_COMPLETE"), ("s", "ROLLBACK_COMPLETE")], afterFailure);
        Assert.Empty(h.Index.All());
    }

    [Fact]
    public void A_failed_update_puts_the_stack_back_and_drops_what_it_added()
    {
        var h = new CloudFormationHarness();
        Assert.Equal("CREATE_COMPLETE", h.Deploy("s", "create", Template(new JsonObject { ["Kept"] = Bucket() })));
        var kept = h.Index.All().Single().PhysicalId;

        h.Engine.FailResource("s", "Failing", "Resource handler returned message: \"Access Denied\"");
        var update = Template(new JsonObject { ["Kept"] = Bucket(), ["Added"] = Bucket(), ["Failing"] = Bucket(dependsOn: "Added") });
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", h.Deploy("s", "update", update, type: "UPDATE"));

        var events = h.Events("s");
        Assert.Equal("The following resource(s) failed to create: [Failing]. ", Assert.Single(events, e => e.Status == "UPDATE_ROLLBACK_IN_PROGRESS").Reason);
        Assert.Contains(events, e => e.Status == "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
        Assert.Contains(events, e => (e.Logical, e.Status) == ("Added", "DELETE_COMPLETE"));
        Assert.Equal([kept], h.Index.All().Select(r => r.PhysicalId));
    }
}
