using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>A template with IAM resources needs CAPABILITY_IAM acknowledged, and CAPABILITY_NAMED_IAM when one names itself.</summary>
public sealed class CapabilitiesTests
{
    [Fact]
    public void An_unnamed_role_requires_CAPABILITY_IAM()
    {
        var h = new CloudFormationHarness();
        var result = h.CreateChangeSet("iam", "cs", Template(new JsonObject { ["Role"] = Role() }));
        Assert.Equal(("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_IAM]"), (result.Error?.Code, result.Error?.Message));

        Assert.Null(h.CreateChangeSet("iam", "cs", Template(new JsonObject { ["Role"] = Role() }), capabilities: ["CAPABILITY_IAM"]).Error);
    }

    [Fact]
    public void A_named_role_requires_CAPABILITY_NAMED_IAM_and_CAPABILITY_IAM_is_not_enough()
    {
        var h = new CloudFormationHarness();
        var result = h.CreateChangeSet("iam", "cs", Template(new JsonObject { ["Role"] = Role("deploy") }), capabilities: ["CAPABILITY_IAM"]);
        Assert.Equal(("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_NAMED_IAM]"), (result.Error?.Code, result.Error?.Message));

        Assert.Null(h.CreateChangeSet("iam", "cs", Template(new JsonObject { ["Role"] = Role("deploy") }), capabilities: ["CAPABILITY_NAMED_IAM"]).Error);
    }

    [Fact]
    public void A_role_whose_condition_is_false_requires_nothing()
    {
        var h = new CloudFormationHarness();
        var template = Template(
            new JsonObject { ["Role"] = Role(condition: "WithRole"), ["Bucket"] = Bucket() },
            parameters: new JsonObject { ["Repo"] = new JsonObject { ["Type"] = "String", ["Default"] = "" } },
            conditions: new JsonObject { ["WithRole"] = new JsonObject { ["Fn::Not"] = new JsonArray(new JsonObject { ["Fn::Equals"] = new JsonArray(new JsonObject { ["Ref"] = "Repo" }, "") }) } });
        Assert.Null(h.CreateChangeSet("iam", "cs", template).Error);
        Assert.Equal("InsufficientCapabilitiesException", h.CreateChangeSet("iam2", "cs", template, new Dictionary<string, string> { ["Repo"] = "o/r" }).Error?.Code);
    }
}
