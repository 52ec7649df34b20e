using Amazon.S3;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Infrastructure.Aws.CloudFront;
using Portal.Infrastructure.Aws.Route53;
using Portal.Core.Observability;
using Portal.Tests.Aws.Loopback;

namespace Portal.Tests.Aws;

/// <summary>The portal's real AWS clients pointed at a loopback endpoint, signing with its test key.</summary>
public sealed class AwsTestClients : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly SdkCredentialSource _credentials = new(LoopbackAws.Credentials, null);

    /// <param name="credentials">What the clients sign with; the endpoint's test key unless given (an account-routing source, say).</param>
    public AwsTestClients(LoopbackAws endpoint, AwsSettings? settings = null, TimeProvider? clock = null, PortalMetrics? metrics = null, IAwsCredentialSource? credentials = null)
    {
        Settings = (settings ?? FastRetries) with { ServiceUrl = endpoint.ServiceUrl };
        Pipeline = new AwsHttpPipeline(_http, credentials ?? _credentials, Settings, clock ?? TimeProvider.System, metrics: metrics);
        CloudFormation = new CloudFormationClient(Pipeline);
        Route53 = new Route53Client(Pipeline);
        CloudFront = new CloudFrontClient(Pipeline);
        S3 = new AmazonS3Client(credentials is null ? LoopbackAws.Credentials : new CredentialSourceAdapter(credentials), new AmazonS3Config
        {
            ServiceURL = endpoint.ServiceUrl.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 8,
            Timeout = Settings.AttemptTimeout,
        });
    }

    /// <summary>Short waits so fault-injection tests finish quickly; the policy is the same as in production.</summary>
    public static AwsSettings FastRetries { get; } = new()
    {
        MaxAttempts = 12,
        BaseRetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(1),
    };

    public AwsSettings Settings { get; }

    public AwsHttpPipeline Pipeline { get; }

    public CloudFormationClient CloudFormation { get; }

    public Route53Client Route53 { get; }

    public CloudFrontClient CloudFront { get; }

    public AmazonS3Client S3 { get; }

    public void Dispose()
    {
        S3.Dispose();
        _credentials.Dispose();
        _http.Dispose();
    }
}
