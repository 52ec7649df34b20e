using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Infrastructure;

/// <summary>The fixture web server serves each site over HTTPS with a test CA certificate, exactly the content, types and headers chosen.</summary>
public sealed class FixtureHttpsServingTests(PrivateNetworkFixture fixture) : IClassFixture<PrivateNetworkFixture>
{
    private PrivateNetwork Network => fixture.Network;

    [Fact]
    public async Task File_is_served_with_a_certificate_the_test_ca_validates_and_its_content_type_and_headers()
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A("files.serving.test", address));
        await Network.StartWebAsync(new WebSite("files.serving.test", address)
            .Header("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload")
            .Header("Content-Security-Policy", "default-src 'self'; script-src 'nonce-$x' \"q\"")
            .File("/policy.txt", "version: STSv1\n", "text/plain", [new("X-Route", "only-here")]));
        using var client = new HttpClient(Network.CreateHttpHandler());

        using var response = await client.GetAsync(new Uri("https://files.serving.test/policy.txt"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("version: STSv1\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(["text/plain"], response.Content.Headers.GetValues("Content-Type"));
        Assert.Equal(["max-age=63072000; includeSubDomains; preload"], response.Headers.GetValues("Strict-Transport-Security"));
        Assert.Equal(["default-src 'self'; script-src 'nonce-$x' \"q\""], response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["only-here"], response.Headers.GetValues("X-Route"));
    }

    [Fact]
    public async Task Content_type_is_the_one_chosen_or_absent()
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A("types.serving.test", address));
        await Network.StartWebAsync(new WebSite("types.serving.test", address)
            .File("/a", "{}", "application/json; charset=utf-8")
            .File("/b", [0x00, 0x01, 0xFF], contentType: null));
        using var client = new HttpClient(Network.CreateHttpHandler());

        using var json = await client.GetAsync(new Uri("https://types.serving.test/a"));
        using var none = await client.GetAsync(new Uri("https://types.serving.test/b"));

        Assert.Equal("application/json; charset=utf-8", json.Content.Headers.ContentType?.ToString());
        Assert.False(none.Content.Headers.Contains("Content-Type"));
        Assert.Equal([0x00, 0x01, 0xFF], await none.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Redirects_statuses_and_unknown_paths_are_answered_as_configured_and_not_followed()
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A("answers.serving.test", address).A("moved.serving.test", address));
        await Network.StartWebAsync(
            new WebSite("answers.serving.test", address)
                .Header("X-Frame-Options", "DENY")
                .Redirect("/old", 302, "https://answers.serving.test/new")
                .Respond("/busy", 503, "try later"),
            new WebSite("moved.serving.test", address).RedirectAll(308, "https://answers.serving.test"));
        using var client = new HttpClient(Network.CreateHttpHandler());

        using var redirect = await client.GetAsync(new Uri("https://answers.serving.test/old"));
        using var busy = await client.GetAsync(new Uri("https://answers.serving.test/busy"));
        using var missing = await client.GetAsync(new Uri("https://answers.serving.test/nothing-here"));
        using var moved = await client.GetAsync(new Uri("https://moved.serving.test/a/b?c=d"));

        Assert.Equal((HttpStatusCode.Redirect, "https://answers.serving.test/new"), (redirect.StatusCode, redirect.Headers.Location?.ToString()));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "try later"), (busy.StatusCode, await busy.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(["DENY"], missing.Headers.GetValues("X-Frame-Options"));
        Assert.Equal((HttpStatusCode.PermanentRedirect, "https://answers.serving.test/a/b?c=d"), (moved.StatusCode, moved.Headers.Location?.ToString()));
        Assert.Contains("\"GET /old HTTP/1.1\" 302", Network.WebAccessLog, StringComparison.Ordinal);
        Assert.DoesNotContain("GET /new", Network.WebAccessLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sites_sharing_an_address_are_told_apart_by_name_each_with_its_certificate()
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A("one.shared.test", address).A("two.shared.test", address));
        await Network.StartWebAsync(
            new WebSite("one.shared.test", address).File("/", "one"),
            new WebSite("two.shared.test", address).File("/", "two"));
        using var client = new HttpClient(Network.CreateHttpHandler());

        var one = await client.GetStringAsync(new Uri("https://one.shared.test/"));
        var two = await client.GetStringAsync(new Uri("https://two.shared.test/"));
        var oneCertificate = await Network.HandshakeAsync("one.shared.test");
        var twoCertificate = await Network.HandshakeAsync("two.shared.test");

        Assert.Equal(("one", "two"), (one, two));
        Assert.Equal("CN=one.shared.test", oneCertificate.Certificate?.Subject);
        Assert.Equal("CN=two.shared.test", twoCertificate.Certificate?.Subject);
    }

    [Fact]
    public async Task Site_on_an_ipv6_address_is_reached_through_its_aaaa_record()
    {
        var address = await Network.AllocateAddressAsync(AddressFamily.InterNetworkV6);
        await Network.StartDnsAsync(new DnsZone().Aaaa("six.serving.test", address));
        await Network.StartWebAsync(new WebSite("six.serving.test", address).File("/", "over ipv6"));
        using var client = new HttpClient(Network.CreateHttpHandler());

        Assert.Equal("over ipv6", await client.GetStringAsync(new Uri("https://six.serving.test/")));
    }

    [Fact]
    public async Task Curl_inside_the_namespace_trusts_the_test_ca_without_options()
    {
        var address = await Network.AllocateAddressAsync();
        await Network.StartDnsAsync(new DnsZone().A("curl.serving.test", address));
        await Network.StartWebAsync(new WebSite("curl.serving.test", address).File("/hello.txt", "hello from nginx\n"));

        var result = await Network.RunAsync("curl", ["-sS", "--fail", "https://curl.serving.test/hello.txt"]);

        Assert.Equal((0, "hello from nginx\n"), (result.ExitCode, result.StandardOutput));
    }

    [Fact]
    public async Task Names_resolving_outside_the_network_are_refused_by_the_handler()
    {
        await Network.StartDnsAsync(new DnsZone().A("outside.serving.test", IPAddress.Parse("192.0.2.1")));
        using var client = new HttpClient(Network.CreateHttpHandler());

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("https://outside.serving.test/")));
        var unknown = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("https://unknown.serving.test/")));

        Assert.Contains("outside the private network", refused.InnerException?.Message, StringComparison.Ordinal);
        Assert.Equal(HttpRequestError.NameResolutionError, unknown.HttpRequestError);
    }
}
