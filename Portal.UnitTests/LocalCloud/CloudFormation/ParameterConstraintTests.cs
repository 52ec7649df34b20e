using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>Parameter values are checked against AllowedValues, AllowedPattern, MinLength and MaxLength; unknown and missing ones are refused.</summary>
public sealed class ParameterConstraintTests
{
    private static AwsError? Create(JsonObject definition, string? value)
    {
        var parameters = value is null ? null : new Dictionary<string, string> { ["Name"] = value };
        return new CloudFormationHarness().CreateChangeSet("p", "cs", Template(new JsonObject { ["Bucket"] = Bucket() }, new JsonObject { ["Name"] = definition.DeepClone() }), parameters).Error;
    }

    [Theory]
    [InlineData("AllowedValues", "prod", "Parameter 'Name' must be one of AllowedValues")]
    [InlineData("AllowedPattern", "ABC", "Parameter 'Name' must match pattern [a-z]+")]
    [InlineData("MinLength", "ab", "Parameter 'Name' must contain at least 3 characters")]
    [InlineData("MaxLength", "abcdefg", "Parameter 'Name' must contain at most 5 characters")]
    public void A_value_breaking_a_constraint_is_refused_with_AWS_message(string constraint, string value, string message)
    {
        var definition = new JsonObject { ["Type"] = "String" };
        definition[constraint] = constraint switch
        {
            "AllowedValues" => new JsonArray("testing", "production"),
            "AllowedPattern" => "[a-z]+",
            "MinLength" => "3",
            _ => "5",
        };
        Assert.Equal(("ValidationError", message), (Create(definition, value)?.Code, Create(definition, value)?.Message));
        Assert.Null(Create(definition, constraint == "AllowedValues" ? "testing" : "abcd"));
    }

    [Fact]
    public void A_constraint_description_replaces_the_message()
    {
        var definition = new JsonObject { ["Type"] = "String", ["AllowedPattern"] = "[a-z]+", ["ConstraintDescription"] = "lower case letters only" };
        Assert.Equal("Parameter 'Name' failed to satisfy constraint: lower case letters only", Create(definition, "A1")?.Message);
    }

    [Fact]
    public void A_list_parameter_is_checked_member_by_member()
    {
        var definition = new JsonObject { ["Type"] = "CommaDelimitedList", ["AllowedPattern"] = "[a-z0-9.]+" };
        Assert.Null(Create(definition, "mx1.example.com,mx2.example.com"));
        Assert.Equal("Parameter 'Name' must match pattern [a-z0-9.]+", Create(definition, "mx1.example.com,MX2")?.Message);
    }

    [Fact]
    public void Unknown_and_missing_parameters_are_refused()
    {
        var h = new CloudFormationHarness();
        var template = Template(new JsonObject { ["Bucket"] = Bucket() }, new JsonObject { ["Name"] = new JsonObject { ["Type"] = "String" } });
        Assert.Equal("Parameters: [Name] must have values", h.CreateChangeSet("p", "cs", template).Error?.Message);
        Assert.Equal("Parameters: [Other] do not exist in the template",
            h.CreateChangeSet("p", "cs", template, new Dictionary<string, string> { ["Name"] = "a", ["Other"] = "b" }).Error?.Message);
    }
}
