using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Portal.Infrastructure.Aws;
using Portal.Infrastructure.Aws.CloudFormation;
using Portal.Tests.Aws.Loopback;

namespace Portal.Tests.Aws;

/// <summary>The loopback endpoint itself refuses what real AWS would: bad signatures, wrong service or region, requests outside the model.</summary>
public sealed class LoopbackEndpointTests : IAsyncLifetime
{
    private LoopbackAws _aws = null!;

    public async Task InitializeAsync() => _aws = await LoopbackAws.StartAsync();

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Fact]
    public async Task A_request_signed_with_another_secret_is_refused()
    {
        using var http = new HttpClient();
        using var credentials = new SdkCredentialSource(new Amazon.Runtime.BasicAWSCredentials(LoopbackAws.AccessKey, "not-the-secret"), null);
        var pipeline = new AwsHttpPipeline(http, credentials, AwsTestClients.FastRetries with { ServiceUrl = _aws.ServiceUrl, MaxAttempts = 1 }, TimeProvider.System);
        var error = await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() =>
            new CloudFormationClient(pipeline).DescribeStacksAsync("us-east-1", new DescribeStacksRequest()));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains(_aws.Violations, v => v.Contains("signature mismatch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unsigned_request_is_refused()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(_aws.ServiceUrl, new StringContent("Action=DescribeStacks&Version=2010-05-15", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(_aws.Violations, v => v.Contains("no SigV4 Authorization header", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_global_service_signed_for_another_region_is_refused()
    {
        using var clients = new AwsTestClients(_aws);
        var request = new AwsHttpRequest("route53", "eu-west-1", "ListHostedZonesByName", HttpMethod.Get, "/2013-04-01/hostedzonesbyname");
        await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() => clients.Pipeline.SendAsync(request));
        Assert.Contains(_aws.Violations, v => v.Contains("signed for us-east-1, not eu-west-1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Action=CreateChangeSet&Version=2010-05-15&ChangeSetName=cs", "required member 'StackName' is missing")]
    [InlineData("Action=CreateChangeSet&Version=2010-05-15&StackName=s&ChangeSetName=cs&ChangeSetType=REPLACE", "'REPLACE' is not one of CREATE, UPDATE, IMPORT")]
    [InlineData("Action=CreateChangeSet&Version=2010-05-15&StackName=s&ChangeSetName=1cs", "does not match the pattern")]
    [InlineData("Action=DescribeStacks&Version=2010-05-15&StackNames=s", "'StackNames' is not a member of DescribeStacksInput")]
    [InlineData("Action=DescribeStackResourceDrifts&Version=2010-05-15&StackName=s&MaxResults=x", "'x' is not an integer")]
    [InlineData("Action=DescribeStackz&Version=2010-05-15", "no cloudformation operation in the model fits")]
    public async Task A_request_outside_the_botocore_model_is_refused_with_the_reason(string form, string expected)
    {
        using var clients = new AwsTestClients(_aws);
        var action = form.Split('&')[0]["Action=".Length..];
        var request = new AwsHttpRequest("cloudformation", "us-east-1", action, HttpMethod.Post, "/")
        {
            Body = Encoding.UTF8.GetBytes(form),
            ContentType = "application/x-www-form-urlencoded; charset=utf-8",
        };
        var error = await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() => clients.Pipeline.SendAsync(request));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(_aws.Violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rest_request_with_an_unknown_query_parameter_is_refused()
    {
        using var clients = new AwsTestClients(_aws);
        var request = new AwsHttpRequest("route53", "us-east-1", "ListHostedZonesByName", HttpMethod.Get, "/2013-04-01/hostedzonesbyname")
        {
            Query = [new("dnsname", "example.com"), new("maxresults", "5")],
        };
        await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() => clients.Pipeline.SendAsync(request));
        Assert.Contains(_aws.Violations, v => v.Contains("query parameter 'maxresults' is not in the model", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("data", "chunk signature mismatch")]
    [InlineData("trailer", "trailer signature mismatch")]
    public async Task A_streaming_upload_changed_in_transit_is_refused(string part, string expected)
    {
        _aws.S3.CreateBucket("content");
        using var s3 = new AmazonS3Client(LoopbackAws.Credentials, new AmazonS3Config
        {
            ServiceURL = _aws.ServiceUrl.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
            HttpClientFactory = new TamperingClientFactory(part),
        });

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = "content", Key = "a.txt", ContentBody = "hello world" }));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains(_aws.Violations, v => v.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(_aws.S3.Current("content", ""));
    }

    /// <summary>A network that changes one byte of an aws-chunked body: in the first chunk's data, or in the trailing checksum.</summary>
    private sealed class TamperingClientFactory(string part) : Amazon.Runtime.HttpClientFactory
    {
        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => new(new Tamper(part));

        private sealed class Tamper(string part) : DelegatingHandler(new HttpClientHandler())
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.Content is { } content && request.Method == HttpMethod.Put)
                {
                    var body = await content.ReadAsByteArrayAsync(cancellationToken);
                    var text = Encoding.ASCII.GetString(body);
                    var at = part == "data" ? text.IndexOf("\r\n", StringComparison.Ordinal) + 2 : text.IndexOf("x-amz-checksum-crc32:", StringComparison.Ordinal) + "x-amz-checksum-crc32:".Length;
                    body[at] = (byte)(body[at] == (byte)'A' ? 'B' : 'A');
                    var changed = new ByteArrayContent(body);
                    foreach (var header in content.Headers)
                    {
                        changed.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }

                    request.Content = changed;
                }

                return await base.SendAsync(request, cancellationToken);
            }
        }
    }
}
