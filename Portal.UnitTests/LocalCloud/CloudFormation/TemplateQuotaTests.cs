using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>CloudFormation's template quotas: 51,200 bytes of body, 200 parameters, 500 resources, 200 outputs.</summary>
public sealed class TemplateQuotaTests
{
    [Fact]
    public void A_body_over_51200_bytes_is_refused_and_one_at_the_limit_is_not()
    {
        var h = new CloudFormationHarness();
        var template = Template(new JsonObject { ["Bucket"] = Bucket() });
        template["Description"] = "";
        var padding = CloudFormationService.MaxTemplateBodyBytes - template.ToJsonString().Length;
        template["Description"] = new string('x', padding);
        Assert.Null(h.CreateChangeSet("at-limit", "cs", template).Error);

        template["Description"] = new string('x', padding + 1);
        var refused = h.CreateChangeSet("over-limit", "cs", template).Error;
        Assert.Equal("ValidationError", refused?.Code);
        Assert.Contains("'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200", refused?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Parameters", 201, "Number of parameters, 201, is greater than maximum allowed, 200")]
    [InlineData("Resources", 501, "Number of resources, 501, is greater than maximum allowed, 500")]
    [InlineData("Outputs", 201, "Number of outputs, 201, is greater than maximum allowed, 200")]
    public void Sections_over_their_quota_are_refused(string section, int count, string message)
    {
        var h = new CloudFormationHarness();
        var template = Template(new JsonObject { ["Bucket"] = Bucket() });
        var entries = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            entries[$"E{i}"] = section switch
            {
                "Parameters" => new JsonObject { ["Type"] = "String", ["Default"] = "x" },
                "Resources" => Bucket(),
                _ => new JsonObject { ["Value"] = "x" },
            };
        }

        template[section] = entries;
        var refused = h.CreateChangeSet("big", "cs", template).Error;
        Assert.Equal(("ValidationError", "Template format error: " + message), (refused?.Code, refused?.Message));

        entries.Remove("E0");
        Assert.Null(h.CreateChangeSet("big", "cs", template).Error);
    }
}
