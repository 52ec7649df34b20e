using Portal.Core.Accounts;
using Portal.Core.Templates;

namespace Portal.Tests.Accounts;

public sealed class TargetAccountRulesTests
{
    private static readonly TargetAccountInput Good = new("marketing", "210987654321", "eu-central-1", "arn:aws:iam::210987654321:role/portal-marketing-portal", "a-random-external-id");

    [Fact]
    public void A_complete_account_has_no_errors() => Assert.Empty(TargetAccountRules.Validate(Good));

    [Theory]
    [InlineData("12345678901")]
    [InlineData("1234567890123")]
    [InlineData("21098765432a")]
    public void An_account_id_must_be_exactly_twelve_digits(string id)
    {
        var error = Assert.Single(TargetAccountRules.Validate(Good with { AccountId = id, RoleArn = $"arn:aws:iam::210987654321:role/x" }), e => e.Field == "accountId");
        Assert.Contains("exactly 12 digits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_arn_must_be_an_iam_role_arn()
    {
        var error = Assert.Single(TargetAccountRules.Validate(Good with { RoleArn = "portal-marketing-portal" }));
        Assert.Equal("roleArn", error.Field);
        Assert.Contains("IAM role ARN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_of_another_account_is_refused_naming_both_accounts()
    {
        var error = Assert.Single(TargetAccountRules.Validate(Good with { RoleArn = "arn:aws:iam::123456789012:role/portal-marketing-portal" }));
        Assert.Equal("roleArn", error.Field);
        Assert.Contains("123456789012, not 210987654321", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eu-middle-9")]
    [InlineData("")]
    [InlineData("EU-WEST-1")]
    public void The_region_must_be_one_aws_has(string region)
    {
        var error = Assert.Single(TargetAccountRules.Validate(Good with { Region = region }));
        Assert.Equal("region", error.Field);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("Marketing")]
    [InlineData("m")]
    [InlineData("a-name-far-too-long-for-a-prefix")]
    public void The_name_is_short_lower_case_and_not_default(string name) =>
        Assert.Single(TargetAccountRules.Validate(Good with { Name = name }), e => e.Field == "name");

    [Fact]
    public void An_external_id_is_required() =>
        Assert.Single(TargetAccountRules.Validate(Good with { ExternalId = "" }), e => e.Field == "externalId");

    [Fact]
    public void A_registered_account_has_its_own_stack_prefix_region_and_buckets()
    {
        var settings = PortalStackSettings.Example with { StackNamePrefix = "portal", SharedRegion = "eu-west-1" };
        var account = new TargetAccount { Name = "marketing", AccountId = "210987654321", Region = "eu-central-1" };

        var own = settings.ForAccount(account);

        Assert.Equal("portal-marketing", own.StackNamePrefix);
        Assert.Equal("eu-central-1", own.SharedRegion);
        Assert.Equal("example-portal-content-marketing", own.ContentBucketName);
        Assert.Equal("example-portal-logs-marketing", own.LogBucketName);
        Assert.Same(settings, settings.ForAccount(null));
        Assert.Equal("arn:aws:iam::210987654321:role/portal-marketing-cloudformation", account.CloudFormationRoleArn("arn:aws:iam::123456789012:role/portal-cloudformation"));
    }
}
