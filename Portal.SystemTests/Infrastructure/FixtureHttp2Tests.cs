using System.Net;
using System.Net.Security;

namespace Portal.Tests.Infrastructure;

/// <summary>HTTP/2 is negotiated through ALPN exactly on the sites that enable it.</summary>
public sealed class FixtureHttp2Tests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>, IAsyncLifetime
{
    private PrivateNetwork Network => fixture.Network;

    public async Task InitializeAsync()
    {
        var two = await Network.AllocateAddressAsync();
        var one = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A("h2.http2.test", two).A("h1.http2.test", one));
        await Network.StartWebAsync(
            new WebSite("h2.http2.test", two).WithHttp2().File("/", "two"),
            new WebSite("h1.http2.test", one).File("/", "one"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Enabled_site_answers_over_http2()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("https://h2.http2.test/"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request);
        var probe = await Network.HandshakeAsync("h2.http2.test", applicationProtocols: [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);
        var curl = await Network.RunAsync("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_version}", "https://h2.http2.test/"]);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("h2", probe.ApplicationProtocol);
        Assert.Equal("2", curl.StandardOutput);
    }

    [Fact]
    public async Task Other_site_answers_over_http11_only()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());
        using var exact = new HttpRequestMessage(HttpMethod.Get, new Uri("https://h1.http2.test/"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var lower = new HttpRequestMessage(HttpMethod.Get, new Uri("https://h1.http2.test/"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(exact));
        using var response = await client.SendAsync(lower);
        var probe = await Network.HandshakeAsync("h1.http2.test", applicationProtocols: [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);

        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("http/1.1", probe.ApplicationProtocol);
    }
}
