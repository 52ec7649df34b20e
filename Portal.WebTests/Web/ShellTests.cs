using System.Net;
using Portal.Tests.Identity;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Web;

/// <summary>The MudBlazor shell as a browser first receives it.</summary>
public sealed class ShellTests
{
    [Fact]
    public async Task Home_serves_the_mudblazor_layout_with_navigation()
    {
        await using var portal = new PortalFactory();
        using var client = Sessions.ClientFor(portal, Persona.Requester);

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("Static Site and MTA-STS Portal", html, StringComparison.Ordinal);
        Assert.Contains("mud-layout", html, StringComparison.Ordinal);
        Assert.Contains("Main navigation", html, StringComparison.Ordinal);
        Assert.Contains("_content/MudBlazor/MudBlazor.min", html, StringComparison.Ordinal);
        Assert.Contains("_framework/blazor.web", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_address_gets_the_not_found_page()
    {
        await using var portal = new PortalFactory();
        using var client = Sessions.ClientFor(portal, Persona.Requester);

        var response = await client.GetAsync(new Uri("/no/such/page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
