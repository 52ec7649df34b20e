using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Portal.LocalCloud.Edge;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.LocalCloud;

/// <summary>
/// The edge server on its sockets: a deployed site answers over plain HTTP at its *.localhost address, over HTTPS
/// with HTTP/2 by SNI with a certificate of the local authority, a real name over plain HTTP is redirected to the
/// HTTPS port, an unknown host gets CloudFront's 403, and the health address answers.
/// </summary>
public sealed class EdgeServerTests : IAsyncLifetime
{
    private const string Site = "test.docs.example.com";
    private const string Prefix = "testing/docs.example.com/";

    private readonly TemporaryFolder _data = new("edge-");
    private readonly S3Service _s3 = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero)));
    private EdgeServer _edge = null!;

    public async Task InitializeAsync()
    {
        _s3.CreateBucket(DeployedStacks.ContentBucket);
        _s3.Put(DeployedStacks.ContentBucket, Prefix + "index.html", "<h1>Docs</h1>", "text/html");
        _s3.Put(DeployedStacks.ContentBucket, Prefix + "guide/index.html", "<h1>Guide</h1>", "text/html");
        var index = DeployedStacks.Index([.. DeployedStacks.ExampleSite(), .. DeployedStacks.ExampleMtaStsHeaders(), DeployedStacks.ExampleMtaSts()]);
        _edge = await EdgeServer.StartAsync(new EdgeOptions { DataDirectory = _data.Path }, index, _s3);
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        _data.Dispose();
    }

    /// <summary>A client that connects every name to the edge's loopback port and trusts only the local authority.</summary>
    private HttpClient Client(Version version)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                    && _edge.CertificateAuthority.Issued(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())),
            },
        };
        return new HttpClient(handler) { DefaultRequestVersion = version, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }

    [Fact]
    public async Task The_site_answers_over_http_at_its_localhost_address()
    {
        using var client = Client(HttpVersion.Version11);

        var url = _edge.SiteUrl(Site);
        using var response = await client.GetAsync(url);

        Assert.Equal($"http://test.docs.example.com.localhost:{_edge.HttpPort}/", url.ToString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<h1>Docs</h1>", await response.Content.ReadAsStringAsync());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("Miss from cloudfront", response.Headers.GetValues("X-Cache").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Theory]
    [InlineData(Site)]
    [InlineData(Site + ".localhost")]
    public async Task The_site_answers_over_https_with_http2_and_a_certificate_of_the_local_authority(string host)
    {
        using var client = Client(HttpVersion.Version20);

        using var response = await client.GetAsync(new Uri($"https://{host}:{_edge.HttpsPort}/guide/"));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<h1>Guide</h1>", await response.Content.ReadAsStringAsync());
        Assert.Equal("max-age=31536000; includeSubDomains; preload", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task Https_also_speaks_http_1_1()
    {
        using var client = Client(HttpVersion.Version11);

        using var response = await client.GetAsync(new Uri($"https://mta-sts.example.com:{_edge.HttpsPort}/.well-known/mta-sts.txt"));

        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.StartsWith("version: STSv1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_host_gets_cloudfronts_403()
    {
        using var client = Client(HttpVersion.Version11);

        using var response = await client.GetAsync(_edge.SiteUrl("unknown.example.com"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("The request could not be satisfied", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_no_distribution_serves_gets_no_certificate_for_it()
    {
        using var client = Client(HttpVersion.Version11);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"https://unknown.example.com:{_edge.HttpsPort}/")));
    }

    [Fact]
    public async Task A_real_name_over_http_is_redirected_to_the_https_port()
    {
        using var client = Client(HttpVersion.Version11);

        using var response = await client.GetAsync(new Uri($"http://{Site}:{_edge.HttpPort}/guide/?a=1"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(new Uri($"https://{Site}:{_edge.HttpsPort}/guide/?a=1"), response.Headers.Location);
    }

    [Fact]
    public async Task A_head_request_has_the_length_and_no_body()
    {
        using var client = Client(HttpVersion.Version11);
        using var request = new HttpRequestMessage(HttpMethod.Head, _edge.SiteUrl(Site));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("<h1>Docs</h1>".Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_health_address_answers()
    {
        using var client = Client(HttpVersion.Version11);

        using var response = await client.GetAsync(_edge.HealthUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok: 3 distributions\n", await response.Content.ReadAsStringAsync());
    }
}
