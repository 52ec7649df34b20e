using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Accounts;
using Portal.Infrastructure.Aws;
using Portal.LocalCloud;

namespace Portal.Tests.LocalCloud.Sts;

/// <summary>The local cloud with one role in another account, and the portal's STS pipeline signing with the endpoint's own key.</summary>
internal sealed class StsHarness : IAsyncDisposable
{
    public const string RoleArn = "arn:aws:iam::210987654321:role/portal-marketing-portal";
    public const string ExternalId = "the-external-id-1";

    private readonly HttpClient _http = new();
    private readonly SdkCredentialSource _own = new(new BasicAWSCredentials(LocalCloudEndpointOptions.DefaultAccessKey, LocalCloudEndpointOptions.DefaultSecretKey), null);

    private StsHarness(LocalCloudEndpoint endpoint, FakeTimeProvider clock)
    {
        Endpoint = endpoint;
        Clock = clock;
        var settings = new AwsSettings { ServiceUrl = endpoint.ServiceUrl, MaxAttempts = 2, BaseRetryDelay = TimeSpan.FromMilliseconds(1) };
        Sts = new AwsHttpPipeline(_http, _own, settings, clock);
        endpoint.Sts.PutRole(RoleArn, ExternalId);
    }

    public LocalCloudEndpoint Endpoint { get; }

    public FakeTimeProvider Clock { get; }

    public AwsHttpPipeline Sts { get; }

    /// <summary>The portal and the local cloud share the fake clock, so a session ends for both at once.</summary>
    public static async Task<StsHarness> StartAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        var endpoint = await LocalCloudEndpoint.StartAsync(new LocalCloudEndpointOptions { Clock = clock });
        return new StsHarness(endpoint, clock);
    }

    public static TargetAccount Account(string externalId = ExternalId, string roleArn = RoleArn) => new()
    {
        Name = "marketing",
        AccountId = "210987654321",
        Region = "eu-central-1",
        RoleArn = roleArn,
        ExternalId = externalId,
    };

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        _own.Dispose();
        _http.Dispose();
    }
}
