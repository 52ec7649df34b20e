using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using Portal.Components.Pages;
using Portal.Core.Health;

namespace Portal.Tests.Components.Health;

/// <summary>
/// The dashboard's filters live in its address: a bookmarked link shows the same rows, going back to an earlier
/// address shows its rows again, and changing a filter on the page writes it into the address.
/// </summary>
public sealed class HealthDashboardFiltersFromAddressTests : IAsyncLifetime
{
    private HealthPortal _health = default!;

    public async Task InitializeAsync()
    {
        _health = await HealthPortal.CreateAsync();
        await _health.CheckedAsync("docs.example.com", HealthCheckKind.Site, FindingSeverity.Error);
        await _health.CheckedAsync("docs-old.example.com", HealthCheckKind.Site, FindingSeverity.Pass);
        await _health.CheckedAsync("shop.example.com", HealthCheckKind.Site, FindingSeverity.Error);
        await _health.CheckedAsync("docs.example.org", HealthCheckKind.Mail, FindingSeverity.Error, mode: "enforce");
        await _health.WatchAsync("docs-new.example.com", HealthCheckKind.Site);
    }

    public async Task DisposeAsync() => await _health.DisposeAsync();

    private NavigationManager Navigation => _health.Portal.Bunit.Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void A_bookmarked_address_shows_only_the_matching_rows()
    {
        Navigation.NavigateTo("/health?status=failing&kind=site&q=DOCS");

        var page = _health.Portal.Bunit.Render<HealthDashboard>();

        page.WaitForAssertion(() => Assert.Equal(["docs.example.com"], Rows(page)));
        Assert.Equal("1", page.Find("[data-shown]").GetAttribute("data-shown"));
        Assert.Equal(HealthStatus.Failing, page.FindComponent<MudSelect<HealthStatus?>>().Instance.GetState(x => x.Value));
        Assert.Equal(HealthCheckKind.Site, page.FindComponent<MudSelect<HealthCheckKind?>>().Instance.GetState(x => x.Value));
        Assert.Equal("DOCS", page.FindComponent<MudTextField<string>>().Instance.GetState(x => x.Value));
    }

    [Fact]
    public void Going_back_to_an_earlier_address_shows_its_rows_again()
    {
        Navigation.NavigateTo("/health?status=not-checked");
        var page = _health.Portal.Bunit.Render<HealthDashboard>();
        page.WaitForAssertion(() => Assert.Equal(["docs-new.example.com"], Rows(page)));

        Navigation.NavigateTo("/health?kind=mail");
        page.WaitForAssertion(() => Assert.Equal(["docs.example.org"], Rows(page)));

        Navigation.NavigateTo("/health?status=not-checked");
        page.WaitForAssertion(() => Assert.Equal(["docs-new.example.com"], Rows(page)));
    }

    [Fact]
    public async Task Typing_a_search_puts_it_in_the_address()
    {
        Navigation.NavigateTo("/health?kind=site");
        var page = _health.Portal.Bunit.Render<HealthDashboard>();
        page.WaitForAssertion(() => Assert.Equal(4, Rows(page).Length));

        // The field reports its value once typing pauses (its debounce); what the page does with it is what is tested here.
        var search = page.FindComponent<MudTextField<string>>();
        await page.InvokeAsync(() => search.Instance.ValueChanged.InvokeAsync("shop"));

        Assert.Equal("http://localhost/health?kind=site&q=shop", Navigation.Uri);
        page.WaitForAssertion(() => Assert.Equal(["shop.example.com"], Rows(page)));
    }

    [Fact]
    public void An_unknown_value_in_the_address_is_named_and_the_rest_still_applies()
    {
        Navigation.NavigateTo("/health?status=broken&kind=mail");

        var page = _health.Portal.Bunit.Render<HealthDashboard>();

        page.WaitForAssertion(() => Assert.Equal(["docs.example.org"], Rows(page)));
        Assert.Equal("Ignored in the address: status 'broken' is not one of healthy, warnings, failing, not-checked.", page.Find("[data-filter-problem]").TextContent.Trim());
    }

    private static string[] Rows(IRenderedComponent<HealthDashboard> page) =>
        [.. page.FindAll("tr[data-row]").Select(r => r.GetAttribute("data-row")!)];
}
