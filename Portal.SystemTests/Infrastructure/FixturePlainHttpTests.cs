using System.Net;

namespace Portal.Tests.Infrastructure;

/// <summary>Port 80 of a fixture site redirects to HTTPS, serves the same routes, or is closed, as chosen.</summary>
public sealed class FixturePlainHttpTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>, IAsyncLifetime
{
    private PrivateNetwork Network => fixture.Network;

    public async Task InitializeAsync()
    {
        var redirecting = await Network.AllocateAddressAsync();
        var plain = await Network.AllocateAddressAsync();
        var closed = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone()
            .A("redirect.plain.test", redirecting)
            .A("both.plain.test", plain)
            .A("closed.plain.test", closed));
        await Network.StartWebAsync(
            new WebSite("redirect.plain.test", redirecting).RedirectHttpToHttps(301).File("/page", "secure"),
            new WebSite("both.plain.test", plain).ServeOver(WebSchemes.Http | WebSchemes.Https).File("/page", "either"),
            new WebSite("closed.plain.test", closed).File("/page", "https only"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Redirecting_site_sends_http_to_the_same_url_over_https()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());

        using var response = await client.GetAsync(new Uri("http://redirect.plain.test/page?x=1"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://redirect.plain.test/page?x=1", response.Headers.Location?.ToString());
        Assert.Equal("secure", await client.GetStringAsync(response.Headers.Location));
    }

    [Fact]
    public async Task Site_served_over_both_schemes_answers_on_each()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());

        Assert.Equal("either", await client.GetStringAsync(new Uri("http://both.plain.test/page")));
        Assert.Equal("either", await client.GetStringAsync(new Uri("https://both.plain.test/page")));
    }

    [Fact]
    public async Task Https_only_site_has_no_port_80()
    {
        using var client = new HttpClient(Network.CreateHttpHandler());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("http://closed.plain.test/page")));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal("https only", await client.GetStringAsync(new Uri("https://closed.plain.test/page")));
    }
}
