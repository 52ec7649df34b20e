using System.Text.Json.Nodes;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>A template that references a resource it does not declare, or an attribute its type does not have, is refused at CreateChangeSet.</summary>
public sealed class TemplateReferenceTests
{
    private static JsonObject BucketWithPolicy(JsonNode bucketReference) => Template(new JsonObject
    {
        ["Data"] = Bucket(),
        ["Policy"] = new JsonObject
        {
            ["Type"] = "AWS::S3::BucketPolicy",
            ["Properties"] = new JsonObject { ["Bucket"] = bucketReference, ["PolicyDocument"] = new JsonObject() },
        },
    });

    [Fact]
    public void A_reference_to_an_undeclared_resource_is_refused()
    {
        var error = new CloudFormationHarness().CreateChangeSet("s", "cs", BucketWithPolicy(new JsonObject { ["Ref"] = "Missing" })).Error;
        Assert.Equal(("ValidationError", "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"), (error?.Code, error?.Message));
    }

    [Fact]
    public void An_attribute_the_type_does_not_have_is_refused_and_one_it_has_is_not()
    {
        var error = new CloudFormationHarness().CreateChangeSet("s", "cs", BucketWithPolicy(new JsonObject { ["Fn::GetAtt"] = new JsonArray("Data", "Nope") })).Error;
        Assert.Equal(("ValidationError", "Template error: resource Data does not support attribute type Nope in Fn::GetAtt"), (error?.Code, error?.Message));
        Assert.Null(new CloudFormationHarness().CreateChangeSet("s", "cs", BucketWithPolicy(new JsonObject { ["Fn::GetAtt"] = new JsonArray("Data", "Arn") })).Error);
    }
}
