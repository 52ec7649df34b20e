using System.IO.Compression;
using System.Net.Http.Headers;

namespace Portal.Tests.Infrastructure;

/// <summary>Fixture sites compress when asked and throttle a file when asked, so clients' compression checks and timeouts meet real behaviour.</summary>
public sealed class FixtureResponseShapingTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>, IAsyncLifetime
{
    private static readonly string Text = string.Concat(Enumerable.Repeat("compressible text, ", 200));

    private PrivateNetwork Network => fixture.Network;

    public async Task InitializeAsync()
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A("gzip.shaping.test", address).A("plain.shaping.test", address));
        await Network.StartWebAsync(
            new WebSite("gzip.shaping.test", address).WithCompression().File("/t", Text, "text/html"),
            new WebSite("plain.shaping.test", address)
                .File("/t", Text, "text/html")
                .File("/slow", Text, "text/html", bytesPerSecond: 200));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Compressed_site_answers_gzip_to_clients_that_accept_it()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());

        var compressed = await GetAsync(client, "https://gzip.shaping.test/t");
        var uncompressed = await GetAsync(client, "https://plain.shaping.test/t");

        Assert.Equal(["gzip"], compressed.Content.Headers.ContentEncoding);
        await using var gzip = new GZipStream(await compressed.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        Assert.Equal(Text, await new StreamReader(gzip).ReadToEndAsync());
        Assert.Empty(uncompressed.Content.Headers.ContentEncoding);
        Assert.Equal(Text, await uncompressed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Throttled_file_outlasts_a_short_client_timeout_that_the_same_file_unthrottled_meets()
    {
        using var client = new HttpClient(Network.CreateHttpHandler()) { Timeout = TimeSpan.FromSeconds(2) };

        var fast = await client.GetStringAsync(new Uri("https://plain.shaping.test/t"));
        await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetStringAsync(new Uri("https://plain.shaping.test/slow")));

        Assert.Equal(Text, fast);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        return await client.SendAsync(request);
    }
}
