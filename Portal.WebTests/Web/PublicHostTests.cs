using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>
/// With <c>Authentication:PublicOrigin</c> set, the Host header a client sends is not reflected: another host name is
/// refused, and redirects the portal builds name the public host. Without it (development, the demo) any host works.
/// </summary>
public sealed class PublicHostTests
{
    private static readonly Dictionary<string, string?> Proxied = new() { ["Authentication:PublicOrigin"] = "https://portal.example.org" };

    [Fact]
    public async Task A_foreign_host_name_is_refused()
    {
        await using var portal = new PortalFactory(Proxied);
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("http://evil.example/requests"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task The_sign_in_redirect_names_the_public_host_whatever_host_was_asked_for()
    {
        await using var portal = new PortalFactory(Proxied);
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("http://127.0.0.1/requests"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("portal.example.org", response.Headers.Location!.Host);
        Assert.Equal("/account/signin", response.Headers.Location.AbsolutePath);
    }

    [Fact]
    public async Task A_named_host_is_allowed_when_AllowedHosts_lists_it()
    {
        await using var portal = new PortalFactory(new Dictionary<string, string?>(Proxied) { ["AllowedHosts"] = "portal.example.org;portal.internal" });
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var listed = await client.GetAsync(new Uri("http://portal.internal/healthz"));
        using var loopback = await client.GetAsync(new Uri("http://localhost/healthz"));

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, loopback.StatusCode);
    }

    [Fact]
    public async Task Without_a_public_origin_the_portal_answers_on_localhost()
    {
        await using var portal = new PortalFactory();
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri("http://localhost/requests"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("localhost", response.Headers.Location!.Host);
    }
}
