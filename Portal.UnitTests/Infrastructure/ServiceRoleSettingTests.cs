using Portal.Infrastructure.Aws;

namespace Portal.Tests.Infrastructure;

/// <summary>AWS:CloudFormationRoleArn is empty (no service role) or an IAM role ARN; anything else is refused with a message naming the key.</summary>
public sealed class ServiceRoleSettingTests
{
    private const string Key = "AWS:CloudFormationRoleArn";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("arn:aws:iam::123456789012:role/portal-cloudformation")]
    [InlineData("arn:aws:iam::123456789012:role/service-role/portal-cloudformation")]
    public void An_empty_value_or_a_role_arn_is_accepted(string? value) => Assert.Null(AwsSettings.RoleArnProblem(Key, value));

    [Theory]
    [InlineData("portal-cloudformation")]
    [InlineData("arn:aws:iam::123456789012:user/portal")]
    [InlineData("arn:aws:iam::12345:role/portal-cloudformation")]
    [InlineData("arn:aws:iam::123456789012:policy/portal-site-role-boundary")]
    public void Anything_else_is_refused_naming_the_key(string value)
    {
        var problem = AwsSettings.RoleArnProblem(Key, value);
        Assert.NotNull(problem);
        Assert.StartsWith(Key + " must be an IAM role ARN", problem, StringComparison.Ordinal);
        Assert.Contains(value, problem, StringComparison.Ordinal);
    }
}
