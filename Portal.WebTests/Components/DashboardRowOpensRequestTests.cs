using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>A row of the dashboard's recent requests opens the request: a click anywhere on it, or its name as a link for the keyboard.</summary>
public sealed class DashboardRowOpensRequestTests : IAsyncLifetime
{
    private PortalComponentContext _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalComponentContext.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task A_click_anywhere_on_the_row_opens_the_request_and_its_name_is_a_link()
    {
        var created = await _portal.Requests.CreateAsync(TestSpecs.Site(), TestActors.Alice, submit: true);
        Assert.True(created.Succeeded, created.Message);
        _portal.Bunit.Services.AddSingleton(_portal.Queries);

        var home = _portal.Bunit.Render<Home>();
        var row = home.WaitForElement($"tr[data-request-row='{created.RequestId}']");

        Assert.Equal($"/requests/{created.RequestId}", row.QuerySelector("td a")!.GetAttribute("href"));
        row.QuerySelectorAll("td")[1].Click();
        Assert.Equal($"http://localhost/requests/{created.RequestId}", _portal.Bunit.Services.GetRequiredService<NavigationManager>().Uri);
    }
}
