using System.Text.Json.Nodes;
using Portal.Core.Templates;

namespace Portal.Tests.Templates;

/// <summary>
/// No template, as written or as rendered for any request of the matrix, declares a parameter or condition nothing uses
/// (CloudFormation's linter warns on them, and a reviewer reads them as if they mattered).
/// </summary>
public sealed class EveryParameterAndConditionIsUsedTests
{
    public static TheoryData<string> Kinds() => new(TemplateLibrary.Kinds.Select(StackKindNames.Of));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_parameter_and_condition_of_a_hand_deployable_template_is_used(string kind)
    {
        var unused = TemplateUsage.Find(TemplateLibrary.LoadEmbedded().Json(StackKindNames.Parse(kind)));

        Assert.Empty(unused.Parameters);
        Assert.Empty(unused.Conditions);
    }

    [Fact]
    public void Every_parameter_and_condition_of_every_rendered_stack_is_used()
    {
        foreach (var (label, stack) in RenderMatrix.AllStacks)
        {
            var unused = TemplateUsage.Find(JsonNode.Parse(stack.TemplateBody)!.AsObject());
            Assert.True(unused.Parameters.Count == 0 && unused.Conditions.Count == 0,
                $"{label} {stack.StackName}: parameters [{string.Join(", ", unused.Parameters)}], conditions [{string.Join(", ", unused.Conditions)}]");
        }
    }

    [Fact]
    public void What_only_fed_a_rendered_function_is_left_out_of_the_stack()
    {
        var redirect = RenderMatrix.Render("site-example", "testing", "default").Stacks.Single(s => s.Kind == StackKind.Redirect);
        var mtaSts = RenderMatrix.Render("mta-sts-example", "production", "default").Stacks.Single();

        Assert.Null(redirect.Parameter("SiteName"));
        Assert.Null(redirect.Parameter("HstsPreload"));
        Assert.Null(mtaSts.Parameter("PolicyMaxAge"));
        Assert.Null(JsonNode.Parse(mtaSts.TemplateBody)!["Conditions"]!["HasMx"]);
        Assert.DoesNotContain("SiteName", JsonNode.Parse(redirect.TemplateBody)!["Metadata"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unused_parameter_a_condition_only_an_unused_condition_names_and_a_sub_variable_are_told_apart()
    {
        var template = JsonNode.Parse("""
            {
              "Parameters": { "Used": {"Type": "String"}, "InSub": {"Type": "String"}, "OnlyInDeadCondition": {"Type": "String"}, "Unused": {"Type": "String"} },
              "Conditions": {
                "Live": { "Fn::Equals": [ { "Ref": "Used" }, "x" ] },
                "Dead": { "Fn::Equals": [ { "Ref": "OnlyInDeadCondition" }, "x" ] }
              },
              "Resources": {
                "A": { "Type": "AWS::S3::Bucket", "Condition": "Live", "Properties": { "BucketName": { "Fn::Sub": [ "${InSub}-${Local}", { "Local": "y" } ] } } }
              }
            }
            """)!.AsObject();

        var unused = TemplateUsage.Find(template);

        Assert.Equal(["OnlyInDeadCondition", "Unused"], unused.Parameters);
        Assert.Equal(["Dead"], unused.Conditions);
    }
}
