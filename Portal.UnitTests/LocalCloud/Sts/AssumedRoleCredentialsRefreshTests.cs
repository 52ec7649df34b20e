using Portal.Infrastructure.Aws;
using Portal.Tests.LocalCloud.Sts;

namespace Portal.Tests.LocalCloud.Sts;

/// <summary>An account's session is kept while it lives and asked for again shortly before it ends (fake clock).</summary>
public sealed class AssumedRoleCredentialsRefreshTests
{
    [Fact]
    public async Task The_session_is_reused_until_shortly_before_expiry_then_a_new_one_is_assumed()
    {
        await using var sts = await StsHarness.StartAsync();
        using var source = new AssumedRoleCredentialSource(sts.Sts, StsHarness.Account(), sts.Clock);

        var first = (await source.ResolveAsync()).Credentials!;
        sts.Clock.Advance(TimeSpan.FromMinutes(54));
        var stillFirst = (await source.ResolveAsync()).Credentials!;

        Assert.Equal(1, source.AssumeCount);
        Assert.Equal(first.AccessKey, stillFirst.AccessKey);

        // Within five minutes of the end of the hour the session is renewed before anything is signed with it.
        sts.Clock.Advance(TimeSpan.FromMinutes(2));
        var second = (await source.ResolveAsync()).Credentials!;

        Assert.Equal(2, source.AssumeCount);
        Assert.NotEqual(first.AccessKey, second.AccessKey);
        Assert.Equal(sts.Clock.GetUtcNow().AddSeconds(AssumedRoleCredentialSource.SessionSeconds), source.Expiration);
    }

    [Fact]
    public async Task A_call_signed_with_an_ended_session_is_refused_as_expired()
    {
        await using var sts = await StsHarness.StartAsync();
        using var source = new AssumedRoleCredentialSource(sts.Sts, StsHarness.Account(), sts.Clock);
        var session = (await source.ResolveAsync()).Credentials!;
        using var http = new HttpClient();
        var stale = new AwsHttpPipeline(http, new FixedCredentials(session), sts.Sts.Settings, sts.Clock);
        sts.Clock.Advance(TimeSpan.FromHours(1));

        var refused = await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() =>
            new Portal.Infrastructure.Aws.Route53.Route53Client(stale).ListHostedZonesByNameAsync(new Portal.Infrastructure.Aws.Route53.ListHostedZonesByNameRequest()));

        Assert.Equal("ExpiredToken", refused.ErrorCode);
    }

    private sealed class FixedCredentials(Amazon.Runtime.ImmutableCredentials credentials) : IAwsCredentialSource
    {
        public Task<AwsCredentialResult> ResolveAsync(CancellationToken ct = default) => Task.FromResult(new AwsCredentialResult(credentials, null));
    }
}
