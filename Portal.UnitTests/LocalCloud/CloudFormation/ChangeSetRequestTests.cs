using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>Change set names follow [a-zA-Z][-a-zA-Z0-9]* up to 128 characters, and a retried create with its ClientToken is the same change set.</summary>
public sealed class ChangeSetRequestTests
{
    [Theory]
    [InlineData("1-starts-with-digit", "Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*")]
    [InlineData("has_underscore", "Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*")]
    [InlineData(null, "Member must have length less than or equal to 128")]
    public void Invalid_change_set_names_are_refused(string? name, string constraint)
    {
        name ??= "a" + new string('b', 128);
        var error = new CloudFormationHarness().CreateChangeSet("s", name, Template(new JsonObject { ["Bucket"] = Bucket() })).Error;
        Assert.Equal("ValidationError", error?.Code);
        Assert.Equal($"1 validation error detected: Value '{name}' at 'changeSetName' failed to satisfy constraint: {constraint}", error?.Message);
        Assert.Null(new CloudFormationHarness().CreateChangeSet("s", "a" + new string('b', 127), Template(new JsonObject { ["Bucket"] = Bucket() })).Error);
    }

    [Fact]
    public void The_same_client_token_returns_the_same_change_set_and_another_is_refused()
    {
        var h = new CloudFormationHarness();
        var template = Template(new JsonObject { ["Bucket"] = Bucket() });
        var first = h.CreateChangeSet("s", "cs", template, token: "t-1");
        var again = h.CreateChangeSet("s", "cs", template, token: "t-1");
        Assert.Equal(first.Output!.Str("Id"), again.Output!.Str("Id"));
        Assert.Equal(1, h.Engine.ChangeSetsCreated["s"]);

        var other = h.CreateChangeSet("s", "cs", template, token: "t-2");
        Assert.Equal(("AlreadyExistsException", "ChangeSet cs already exists"), (other.Error?.Code, other.Error?.Message));
    }
}
