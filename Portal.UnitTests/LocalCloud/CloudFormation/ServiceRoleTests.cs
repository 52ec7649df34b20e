using System.Text.Json.Nodes;
using Portal.LocalCloud.Wire;
using static Portal.Tests.LocalCloud.CloudFormation.CloudFormationHarness;

namespace Portal.Tests.LocalCloud.CloudFormation;

/// <summary>
/// A change set may name a service role (RoleARN): only an IAM role of the account that exists; CloudFormation then
/// acts with it for every resource of the stack, and keeps it for later change sets that name none.
/// </summary>
public sealed class ServiceRoleTests
{
    private const string ServiceRole = "arn:aws:iam::123456789012:role/portal-cloudformation";

    private static AwsResult CreateWithRole(CloudFormationHarness h, string stack, string name, string? roleArn, string type = "CREATE") =>
        h.Engine.Handle("CreateChangeSet", Region, Input(
            ("StackName", stack), ("ChangeSetName", name), ("ChangeSetType", type),
            ("TemplateBody", Template(new JsonObject { ["Bucket"] = Bucket() }).ToJsonString()), ("RoleARN", roleArn)));

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/not-made-yet")]
    [InlineData("arn:aws:iam::210987654321:role/portal-cloudformation")]
    [InlineData("arn:aws:iam::123456789012:user/portal-cloudformation")]
    public void A_role_that_is_not_an_existing_role_of_the_account_is_refused(string roleArn)
    {
        var h = new CloudFormationHarness();
        h.Engine.AddAccountRole(ServiceRole);

        var result = CreateWithRole(h, "site", "cs", roleArn);

        Assert.Equal(("ValidationError", $"Role {roleArn} is invalid or cannot be assumed"), (result.Error?.Code, result.Error?.Message));
    }

    [Fact]
    public void A_role_name_instead_of_an_arn_is_not_a_valid_role_arn()
    {
        var h = new CloudFormationHarness();
        var result = CreateWithRole(h, "site", "cs", "portal-cloudformation-by-name");

        Assert.Equal(("ValidationError", "portal-cloudformation-by-name is not a valid RoleARN"), (result.Error?.Code, result.Error?.Message));
    }

    [Fact]
    public void CloudFormation_acts_with_the_named_role_and_keeps_it_for_a_change_set_naming_none()
    {
        var h = new CloudFormationHarness();
        h.Engine.AddAccountRole(ServiceRole);

        Assert.Null(CreateWithRole(h, "site", "cs1", ServiceRole).Error);
        h.Clock.Advance(h.Timings.ChangeSetCreation);
        Assert.Null(h.Engine.Handle("ExecuteChangeSet", Region, Input(("ChangeSetName", "cs1"), ("StackName", "site"))).Error);
        Assert.Equal("CREATE_COMPLETE", h.Settle("site"));

        h.Deploy("site", "cs2", Template(new JsonObject { ["Bucket"] = Bucket(), ["Other"] = Bucket() }), type: "UPDATE");

        var actions = h.Engine.ResourceActions;
        Assert.Equal(["Bucket", "Other"], actions.Select(a => a.LogicalId));
        Assert.All(actions, a => Assert.Equal(ServiceRole, a.RoleArn));
    }
}
