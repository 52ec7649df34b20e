using System.Text.Json.Nodes;

namespace Portal.Tests.LocalCloud.Providers;

/// <summary>A role's PermissionsBoundary is a managed policy ARN of AWS or of the account; anything else is refused as IAM refuses it.</summary>
public sealed class IamRoleBoundaryTests
{
    private readonly ProviderWorld _world = new();

    private static JsonObject Role(string boundary) => new()
    {
        ["AssumeRolePolicyDocument"] = JsonNode.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudformation.amazonaws.com"},"Action":"sts:AssumeRole"}]}"""),
        ["PermissionsBoundary"] = boundary,
    };

    [Theory]
    [InlineData("arn:aws:iam::123456789012:policy/portal-site-role-boundary")]
    [InlineData("arn:aws:iam::123456789012:policy/boundaries/portal-site-role-boundary")]
    [InlineData("arn:aws:iam::aws:policy/PowerUserAccess")]
    public void A_managed_policy_of_the_account_or_of_AWS_is_accepted(string boundary) =>
        _world.Create("AWS::IAM::Role", "DeployRole", Role(boundary)).AssertCreated();

    [Theory]
    [InlineData("portal-site-role-boundary")]
    [InlineData("arn:aws:iam::123456789012:role/portal-site-role-boundary")]
    [InlineData("arn:aws:s3:::portal-site-role-boundary")]
    public void A_value_that_is_not_a_policy_arn_is_invalid_input(string boundary)
    {
        var failure = _world.Create("AWS::IAM::Role", "DeployRole", Role(boundary)).AssertRefused("InvalidInput");
        Assert.Contains($"ARN {boundary} is not valid.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_accounts_policy_cannot_be_attached()
    {
        var failure = _world.Create("AWS::IAM::Role", "DeployRole", Role("arn:aws:iam::210987654321:policy/boundary")).AssertRefused("NoSuchEntity");
        Assert.Contains("Scope ARN: arn:aws:iam::210987654321:policy/boundary does not exist or is not attachable.", failure, StringComparison.Ordinal);
    }
}
