using System.Text.Json.Nodes;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>IAM roles: name requirements and uniqueness, a well-formed trust policy, and the ids IAM gives.</summary>
public sealed class IamRoleRulesTests
{
    private const string TrustPolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}
        """;

    private readonly ProviderWorld _world = new();

    private static JsonObject Role(string? name, string trustPolicy = TrustPolicy)
    {
        var role = new JsonObject { ["AssumeRolePolicyDocument"] = JsonNode.Parse(trustPolicy), ["MaxSessionDuration"] = 3600 };
        if (name is not null)
        {
            role["RoleName"] = name;
        }

        return role;
    }

    [Fact]
    public void Ref_is_the_role_name_with_its_arn_and_role_id()
    {
        var result = _world.Create("AWS::IAM::Role", "DeployRole", Role("site-deploy"));

        Assert.Equal("site-deploy", result.PhysicalId);
        Assert.Equal($"arn:aws:iam::{ProviderWorld.Account}:role/site-deploy", result.Attributes["Arn"]);
        Assert.Matches("^AROA[A-Z0-9]{17}$", result.Attributes["RoleId"]);
    }

    [Fact]
    public void Without_a_name_CloudFormation_makes_one_of_at_most_64_characters()
    {
        var result = _world.Create("AWS::IAM::Role", "ADeployRoleWithAVeryLongLogicalIdThatGoesOnAndOnAndOn", Role(null));

        result.AssertCreated();
        Assert.InRange(result.PhysicalId!.Length, 1, 64);
        Assert.StartsWith("site-stack-ADeployRole", result.PhysicalId, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_over_64_characters_is_refused()
    {
        var failure = _world.Create("AWS::IAM::Role", "Role", Role(new string('r', 65))).AssertRefused("ValidationError");

        Assert.Contains("Member must have length less than or equal to 64", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_characters_outside_IAMs_set_is_refused()
    {
        _world.Create("AWS::IAM::Role", "Role", Role("site deploy")).AssertRefused("ValidationError");
    }

    [Fact]
    public void Role_names_are_unique_whatever_their_case()
    {
        _world.Create("AWS::IAM::Role", "One", Role("Site-Deploy")).AssertCreated();

        var failure = _world.Create("AWS::IAM::Role", "Two", Role("site-deploy")).AssertRefused("EntityAlreadyExists");

        Assert.StartsWith("Role with name site-deploy already exists.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trust_policy_that_is_not_json_is_malformed()
    {
        var role = new JsonObject { ["RoleName"] = "r", ["AssumeRolePolicyDocument"] = "{not json" };

        var failure = _world.Create("AWS::IAM::Role", "Role", role).AssertRefused("MalformedPolicyDocument");

        Assert.StartsWith("This policy contains invalid Json", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}""", "Missing required field Principal")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}""", "Has prohibited field Resource")]
    public void A_trust_policy_statement_needs_a_principal_and_no_resource(string policy, string message)
    {
        var failure = _world.Create("AWS::IAM::Role", "Role", Role("r", policy)).AssertRefused("MalformedPolicyDocument");

        Assert.StartsWith(message, failure, StringComparison.Ordinal);
    }
}
