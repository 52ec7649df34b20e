using System.Text.Json.Nodes;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>Template conditions decided from parameters the way CloudFormation decides them; anything else stays unknown.</summary>
public sealed class TemplateConditionsTests
{
    private static readonly JsonObject Template = JsonNode.Parse("""
        {
          "Parameters": { "Env": { "Type": "String" }, "Repo": { "Type": "String", "Default": "" } },
          "Conditions": {
            "IsTesting": { "Fn::Equals": [ { "Ref": "Env" }, "testing" ] },
            "HasRepo": { "Fn::Not": [ { "Fn::Equals": [ { "Ref": "Repo" }, "" ] } ] },
            "Both": { "Fn::And": [ { "Condition": "IsTesting" }, { "Condition": "HasRepo" } ] },
            "Either": { "Fn::Or": [ { "Condition": "IsTesting" }, { "Condition": "HasRepo" } ] },
            "InUsEast1": { "Fn::Equals": [ { "Ref": "AWS::Region" }, "us-east-1" ] }
          }
        }
        """)!.AsObject();

    [Theory]
    [InlineData("testing", "acme/docs", true, true, true, true)]
    [InlineData("testing", "", true, false, false, true)]
    [InlineData("production", "acme/docs", false, true, false, true)]
    [InlineData("production", null, false, false, false, false)]
    public void Conditions_follow_the_parameters_and_their_defaults(string env, string? repo, bool isTesting, bool hasRepo, bool both, bool either)
    {
        var parameters = new Dictionary<string, string> { ["Env"] = env };
        if (repo is not null)
        {
            parameters["Repo"] = repo;
        }

        var conditions = TemplateConditions.Evaluate(Template, parameters);

        Assert.Equal((isTesting, hasRepo, both, either), (conditions["IsTesting"], conditions["HasRepo"], conditions["Both"], conditions["Either"]));
    }

    [Fact]
    public void What_the_parameters_cannot_decide_stays_unknown_and_may_exist()
    {
        var conditions = TemplateConditions.Evaluate(Template, new Dictionary<string, string>());

        Assert.Null(conditions["InUsEast1"]);
        Assert.Null(conditions["IsTesting"]);
        Assert.False(conditions["Both"]);
        Assert.Null(conditions["Either"]);
        Assert.True(TemplateConditions.MayExist(JsonNode.Parse("""{"Condition":"InUsEast1"}"""), conditions));
        Assert.False(TemplateConditions.MayExist(JsonNode.Parse("""{"Condition":"HasRepo"}"""), conditions));
    }
}
