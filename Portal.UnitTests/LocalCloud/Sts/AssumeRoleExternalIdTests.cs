using Portal.Infrastructure.Aws;

namespace Portal.Tests.LocalCloud.Sts;

/// <summary>
/// STS AssumeRole answers AccessDenied when the role's trust policy requires an external id and the caller sends
/// another one or none (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html,
/// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, ExternalId).
/// </summary>
public sealed class AssumeRoleExternalIdTests
{
    [Fact]
    public async Task The_right_external_id_gives_a_session_in_the_roles_account()
    {
        await using var sts = await StsHarness.StartAsync();
        using var source = new AssumedRoleCredentialSource(sts.Sts, StsHarness.Account(), sts.Clock);

        var result = await source.ResolveAsync();

        Assert.True(result.Found, result.Problem);
        Assert.StartsWith("ASIA", result.Credentials!.AccessKey, StringComparison.Ordinal);
        Assert.Equal("210987654321", sts.Endpoint.Sts.Session(result.Credentials.AccessKey)!.AccountId);
        Assert.Empty(sts.Endpoint.Violations);
    }

    [Fact]
    public async Task A_wrong_external_id_is_refused_with_access_denied()
    {
        await using var sts = await StsHarness.StartAsync();
        using var source = new AssumedRoleCredentialSource(sts.Sts, StsHarness.Account(externalId: "another-external-id"), sts.Clock);

        var result = await source.ResolveAsync();

        Assert.False(result.Found);
        Assert.Contains("AccessDenied", result.Problem, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: sts:AssumeRole on resource: " + StsHarness.RoleArn, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_external_id_is_refused_with_access_denied()
    {
        await using var sts = await StsHarness.StartAsync();
        var form = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + Uri.EscapeDataString(StsHarness.RoleArn) + "&RoleSessionName=portal";

        var refused = await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() => sts.Sts.SendAsync(new AwsHttpRequest("sts", "eu-central-1", "AssumeRole", HttpMethod.Post, "/")
        {
            Body = System.Text.Encoding.UTF8.GetBytes(form),
            ContentType = "application/x-www-form-urlencoded; charset=utf-8",
        }));

        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_role_that_does_not_exist_is_refused_alike()
    {
        await using var sts = await StsHarness.StartAsync();
        using var source = new AssumedRoleCredentialSource(sts.Sts, StsHarness.Account(roleArn: "arn:aws:iam::210987654321:role/nobody"), sts.Clock);

        var result = await source.ResolveAsync();

        Assert.False(result.Found);
        Assert.Contains("AccessDenied", result.Problem, StringComparison.Ordinal);
    }
}
